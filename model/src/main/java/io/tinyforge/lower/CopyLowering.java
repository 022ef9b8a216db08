package io.tinyforge.lower;

import io.tinyforge.model.Tensor;

/** RESHAPE, SQUEEZE, EXPAND_DIMS: same bytes, new shape. */
final class CopyLowering {
  private CopyLowering() {}

  static CopyParams lower(OpContext ctx) {
    Tensor input = ctx.input(0);
    Tensor output = ctx.output(0);
    if (input.type() != output.type()) {
      throw ctx.fail("input is " + input.type() + " but output is " + output.type());
    }
    if (input.byteSize() != output.byteSize()) {
      throw ctx.fail("input " + input.shape() + " and output " + output.shape() + " differ in size");
    }
    return new CopyParams(input.index(), output.index(), output.byteSize());
  }
}
