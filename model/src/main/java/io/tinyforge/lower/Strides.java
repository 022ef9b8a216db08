package io.tinyforge.lower;

import io.tinyforge.model.Padding;

/** Checks and padding shared by the windowed ops (conv, depthwise, pooling). */
final class Strides {
  private Strides() {}

  static void check(OpContext ctx, int strideH, int strideW, int dilationH, int dilationW) {
    if (strideH < 1 || strideW < 1) {
      throw ctx.fail("stride " + strideH + "x" + strideW + " must be at least 1");
    }
    if (dilationH < 1 || dilationW < 1) {
      throw ctx.fail("dilation " + dilationH + "x" + dilationW + " must be at least 1");
    }
  }

  /**
   * ComputePaddingHeightWidth: {padHeight, padWidth}. The output tensor must have the size the padding scheme gives,
   * as TFLM computes padding from that size but loops over the tensor's.
   */
  static int[] windowPadding(OpContext ctx, Padding padding, int inH, int inW, int filterH, int filterW,
      int strideH, int strideW, int dilationH, int dilationW, int outH, int outW) {
    int expectH = PaddingMath.outSize(padding, inH, filterH, strideH, dilationH);
    int expectW = PaddingMath.outSize(padding, inW, filterW, strideW, dilationW);
    if (expectH != outH || expectW != outW) {
      throw ctx.fail("output is " + outH + "x" + outW + " but " + padding + " padding of a " + inH + "x" + inW
          + " input gives " + expectH + "x" + expectW + "; the model is inconsistent: re-export it");
    }
    return new int[] {
        PaddingMath.padding(strideH, dilationH, inH, filterH, outH),
        PaddingMath.padding(strideW, dilationW, inW, filterW, outW)};
  }
}
