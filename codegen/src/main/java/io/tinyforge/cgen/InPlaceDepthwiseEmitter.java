package io.tinyforge.cgen;

import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.memory.InPlaceDepthwise;
import io.tinyforge.memory.PatchGeometry;
import io.tinyforge.model.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The C of a depthwise convolution that writes over its own input ({@link InPlaceDepthwise}): per band of output
 * rows, the input rows the band reads are in the scratch (the rows the previous band already had moved to the
 * start with memmove, the new ones copied from the tensor with memcpy before anything overwrites them), and the
 * kernel reads the scratch and writes the band's rows of the tensor. The step's scratch holds the band rows
 * first, then the kernel's own scratch if its variant takes one.
 */
final class InPlaceDepthwiseEmitter {
  private InPlaceDepthwiseEmitter() {}

  static OpEmitter.Emitted emit(Model model, WeightTable weights, String scratchArena, int scratchOffset,
      LoweredOp op, Isa isa, boolean smallDepthwiseOn3x3Dsp) {
    DepthwiseParams d = (DepthwiseParams) op.params();
    int h = PatchGeometry.height(model, d.output());
    int rows = InPlaceDepthwise.bandRows(model, d);
    int rowBytes = PatchGeometry.rowBytes(model, d.input());
    int[] s = model.tensor(d.input()).shape().toArray();
    List<Map<String, Object>> statics = new ArrayList<>();
    List<Map<String, Object>> calls = new ArrayList<>();
    int held0 = 0; // the scratch holds input rows [held0, held1)
    int held1 = 0;
    for (int a = 0, k = 0; a < h; a += rows, k++) {
      int b = Math.min(h, a + rows);
      int[] in = PatchGeometry.inputRows(d, a, b);
      if (in[0] < held1 && in[0] > held0) {
        calls.add(CDecl.call("memmove", List.of(scratch(scratchArena, scratchOffset, 0),
            scratch(scratchArena, scratchOffset, (in[0] - held0) * rowBytes),
            Arg.size((long) (held1 - in[0]) * rowBytes))));
      }
      int kept = in[0] < held1 ? held1 - in[0] : 0;
      int from = in[0] + kept;
      if (from < in[1]) {
        // rows >= a have not been written yet: they still hold the input
        calls.add(CDecl.call("memcpy", List.of(scratch(scratchArena, scratchOffset, kept * rowBytes),
            Arg.tensorAt(d.input(), (long) from * rowBytes), Arg.size((long) (in[1] - from) * rowBytes))));
      }
      held0 = in[0];
      held1 = in[1];
      Map<Integer, OpEmitter.View> views = new LinkedHashMap<>();
      views.put(d.output(), new OpEmitter.View(Arg.tensorAt(d.output(), (long) a * rowBytes),
          new int[] {1, b - a, s[2], s[3]}));
      views.put(d.input(), new OpEmitter.View(scratch(scratchArena, scratchOffset, 0),
          new int[] {1, in[1] - in[0], s[2], s[3]}));
      KernelParams cropped = PatchGeometry.crop(d, a, b, in[0], in[1], rowBytes);
      // the kernel's own scratch, if it takes one, follows the band rows in the step's scratch
      OpEmitter.Emitted e = OpEmitter.emitBand(model, weights, new LoweredOp(op.operator(), cropped),
          "op" + op.operator().index() + "_band" + k + "_", views, isa, smallDepthwiseOn3x3Dsp, scratchArena,
          scratchOffset + InPlaceDepthwise.scratchBytes(model, d));
      statics.addAll(e.statics());
      calls.addAll(e.calls());
    }
    return PatchEmitter.shareIdenticalConstants(statics, calls);
  }

  private static Map<String, Object> scratch(String arena, int base, int offset) {
    return Arg.scratch(arena, base + offset, "int8_t");
  }
}
