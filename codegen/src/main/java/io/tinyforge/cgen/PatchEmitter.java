package io.tinyforge.cgen;

import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.memory.PatchGeometry;
import io.tinyforge.memory.PatchStage;
import io.tinyforge.model.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The C of a {@link PatchStage}: for each band, each op of the stage called on the band's rows. Stage inputs and
 * the stage output are read and written in place in their arena tensors (a row offset); every other tensor lives
 * in its band buffer inside the stage's scratch, holding only the rows of the current band.
 */
final class PatchEmitter {
  private PatchEmitter() {}

  static OpEmitter.Emitted emit(Model model, WeightTable weights, int scratchOffset, PatchStage stage) {
    List<Map<String, Object>> statics = new ArrayList<>();
    List<Map<String, Object>> calls = new ArrayList<>();
    for (int k = 0; k < stage.bands().size(); k++) {
      PatchStage.Band band = stage.bands().get(k);
      for (LoweredOp op : stage.ops()) {
        KernelParams p = op.params();
        int out = p.outputTensors()[0];
        int a = band.lo()[out];
        int b = band.hi()[out];
        int[] in = PatchGeometry.inputRows(p, a, b);
        Map<Integer, OpEmitter.View> views = new LinkedHashMap<>();
        views.put(out, view(model, stage, scratchOffset, band, out, a, b));
        for (int t : p.inputTensors()) {
          if (!model.tensor(t).isConstant()) {
            views.put(t, view(model, stage, scratchOffset, band, t, in[0], in[1]));
          }
        }
        KernelParams cropped = PatchGeometry.crop(p, a, b, in[0], in[1], PatchGeometry.rowBytes(model, out));
        OpEmitter.Emitted e = OpEmitter.emitBand(model, weights, new LoweredOp(op.operator(), cropped),
            "op" + op.operator().index() + "_band" + k + "_", views);
        statics.addAll(e.statics());
        calls.addAll(e.calls());
      }
    }
    return new OpEmitter.Emitted(statics, calls, false);
  }

  /** Rows {@code [from, to)} of tensor t: in its arena tensor, or in its band buffer (which starts at lo[t]). */
  private static OpEmitter.View view(Model model, PatchStage stage, int scratchOffset, PatchStage.Band band, int t,
      int from, int to) {
    int[] s = model.tensor(t).shape().toArray();
    int[] shape = {1, to - from, s[2], s[3]};
    long rowBytes = PatchGeometry.rowBytes(model, t);
    int buffer = stage.bufferOffset()[t];
    if (buffer < 0) {
      return new OpEmitter.View(Arg.tensorAt(t, from * rowBytes), shape);
    }
    long offset = (long) scratchOffset + buffer + (from - band.lo()[t]) * rowBytes;
    return new OpEmitter.View(Arg.scratch(Math.toIntExact(offset), "int8_t"), shape);
  }
}
