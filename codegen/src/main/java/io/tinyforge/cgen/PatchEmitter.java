package io.tinyforge.cgen;

import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.memory.PatchGeometry;
import io.tinyforge.memory.PatchStage;
import io.tinyforge.model.Model;
import java.util.ArrayList;
import java.util.HashMap;
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

  static OpEmitter.Emitted emit(Model model, WeightTable weights, String scratchArena, int scratchOffset,
      PatchStage stage, Isa isa, boolean smallDepthwiseOn3x3Dsp) {
    List<Map<String, Object>> statics = new ArrayList<>();
    List<Map<String, Object>> calls = new ArrayList<>();
    for (int k = 0; k < stage.bands().size(); k++) {
      PatchStage.Band band = stage.bands().get(k);
      for (int i = 0; i < stage.ops().size(); i++) {
        LoweredOp op = stage.ops().get(i);
        KernelParams p = op.params();
        int out = p.outputTensors()[0];
        int a = band.lo()[out];
        int b = band.hi()[out];
        int[] in = PatchGeometry.inputRows(p, a, b);
        Map<Integer, OpEmitter.View> views = new LinkedHashMap<>();
        views.put(out, view(model, stage, scratchArena, scratchOffset, band, out, a, b));
        for (int t : p.inputTensors()) {
          if (!model.tensor(t).isConstant()) {
            views.put(t, view(model, stage, scratchArena, scratchOffset, band, t, in[0], in[1]));
          }
        }
        KernelParams cropped = PatchGeometry.crop(p, a, b, in[0], in[1], PatchGeometry.rowBytes(model, out));
        int kernelScratch = stage.kernelScratchOffset()[i];
        OpEmitter.Emitted e = OpEmitter.emitBand(model, weights, new LoweredOp(op.operator(), cropped),
            "op" + op.operator().index() + "_band" + k + "_", views, isa, smallDepthwiseOn3x3Dsp, scratchArena,
            kernelScratch < 0 ? -1 : scratchOffset + kernelScratch);
        statics.addAll(e.statics());
        calls.addAll(e.calls());
      }
    }
    return shareIdenticalConstants(statics, calls);
  }

  /**
   * Bands repeat most constants (requantization arrays, tables, the dims of interior bands): each distinct one is
   * declared once, under the name of its first band, and every reference to a duplicate points to it.
   */
  static OpEmitter.Emitted shareIdenticalConstants(List<Map<String, Object>> statics,
      List<Map<String, Object>> calls) {
    return shareIdenticalConstants(statics, calls, new HashMap<>(), false);
  }

  /**
   * {@link #shareIdenticalConstants(List, List)} against the constants already declared ({@code firstByContent}:
   * content to name, updated with the ones kept here), e.g. by earlier ops of the project.
   */
  static OpEmitter.Emitted shareIdenticalConstants(List<Map<String, Object>> statics,
      List<Map<String, Object>> calls, Map<String, String> firstByContent, boolean alias) {
    Map<String, String> renamed = new HashMap<>();
    List<Map<String, Object>> kept = new ArrayList<>();
    for (Map<String, Object> decl : statics) {
      @SuppressWarnings("unchecked")
      Map<String, Object> d = (Map<String, Object>) rename(decl, renamed);
      Map<String, Object> content = new LinkedHashMap<>(d);
      content.remove("name");
      String key = content.toString();
      String name = (String) d.get("name");
      String first = firstByContent.putIfAbsent(key, name);
      if (first == null) {
        kept.add(d);
      } else {
        renamed.put(name, first);
      }
    }
    List<Map<String, Object>> rewritten = new ArrayList<>();
    for (Map<String, Object> call : calls) {
      @SuppressWarnings("unchecked")
      Map<String, Object> c = (Map<String, Object>) rename(call, renamed);
      rewritten.add(c);
    }
    return new OpEmitter.Emitted(kept, rewritten, alias);
  }

  /** A copy of template data with every reference (address or name argument) to a renamed constant redirected. */
  private static Object rename(Object value, Map<String, String> renamed) {
    if (value instanceof Map<?, ?> m) {
      Object kind = m.get("kind");
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        copy.put((String) e.getKey(), rename(e.getValue(), renamed));
      }
      if (("address".equals(kind) || "name".equals(kind)) && renamed.containsKey(m.get("name"))) {
        copy.put("name", renamed.get(m.get("name")));
      }
      return copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      for (Object o : l) {
        copy.add(rename(o, renamed));
      }
      return copy;
    }
    return value;
  }

  /** Rows {@code [from, to)} of tensor t: in its arena tensor, or in its band buffer (which starts at lo[t]). */
  private static OpEmitter.View view(Model model, PatchStage stage, String scratchArena, int scratchOffset,
      PatchStage.Band band, int t,
      int from, int to) {
    int[] s = model.tensor(t).shape().toArray();
    int[] shape = {1, to - from, s[2], s[3]};
    long rowBytes = PatchGeometry.rowBytes(model, t);
    int buffer = stage.bufferOffset()[t];
    if (buffer < 0) {
      return new OpEmitter.View(Arg.tensorAt(t, from * rowBytes), shape);
    }
    long offset = (long) scratchOffset + buffer + (from - band.lo()[t]) * rowBytes;
    return new OpEmitter.View(Arg.scratch(scratchArena, Math.toIntExact(offset), "int8_t"), shape);
  }
}
