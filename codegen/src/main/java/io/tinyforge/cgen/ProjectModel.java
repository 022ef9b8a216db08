package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardDefines;
import io.tinyforge.check.ModelStats;
import io.tinyforge.lower.ConcatParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.memory.Lifetimes;
import io.tinyforge.memory.MemoryPlan;
import io.tinyforge.memory.PatchStage;
import io.tinyforge.memory.TensorGraph;
import io.tinyforge.model.Model;
import io.tinyforge.model.Names;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the data every template of {@code templates/project/} prints: the model's I/O, the arena layout from the
 * memory plan, the weights, and per operator its kernel calls ({@link OpEmitter}). Only data: numbers, names,
 * lists and maps.
 */
final class ProjectModel {
  private ProjectModel() {}

  /**
   * One C array of the arena: the bytes of one memory region of the plan.
   *
   * @param symbol its C name (tf_arena when the plan uses one region)
   * @param section the linker input section that puts it in its memory
   */
  record ArenaArray(String symbol, String section) {}

  static Map<String, Object> build(LoweredModel lowered, MemoryPlan plan, List<ArenaArray> arenas,
      Optional<ArenaLayout.InputPlace> inputPlace, Board board, String modelFileName, String hashHex,
      List<String> boardSources, String generator) {
    Model model = lowered.model();
    Places places = new Places(plan, arenas);
    List<Integer> outside = inputPlace.map(ArenaLayout.InputPlace::tensors).orElse(List.of());
    Isa isa = Isa.of(board);
    TensorGraph graph = TensorGraph.of(lowered, ScratchSizes.of(isa), true).withOutside(outside);
    // concatenation inputs the plan put straight into their slice of the output
    Map<Integer, TensorGraph.View> slices = Lifetimes.viewsTaken(graph, plan.layout());
    WeightTable weights = new WeightTable();
    boolean smallDw = OpEmitter.fastDepthwiseOnlyForSmall3x3(lowered, isa);
    ActivationFolds folds = ActivationFolds.of(lowered, plan, isa);

    List<Map<String, Object>> ops = new ArrayList<>();
    List<Integer> opOutputs = new ArrayList<>();
    Map<String, Map<String, Object>> sharedStatics = new HashMap<>();
    // content of each constant declared so far -> its name: an op whose params, shapes or tables equal an
    // earlier op's (MobileNet's repeated blocks) points at those instead of declaring them again
    Map<String, String> declaredByContent = new HashMap<>();
    for (int step = 0; step < lowered.ops().size(); step++) {
      LoweredOp op = lowered.ops().get(step);
      boolean alias = Lifetimes.aliasTaken(graph, graph.steps().get(step));
      int scratch = plan.scratchOffset(step);
      String scratchArena = scratch < 0 ? null : places.symbol(scratch);
      int scratchOffset = scratch < 0 ? -1 : places.local(scratch);
      boolean inPlace = Lifetimes.inPlaceTaken(graph, plan.layout(), step);
      OpEmitter.Emitted e = op.params() instanceof PatchStage stage
          ? PatchEmitter.emit(model, weights, scratchArena, scratchOffset, stage, isa, smallDw)
          : inPlace && op.params() instanceof DepthwiseParams
              ? InPlaceDepthwiseEmitter.emit(model, weights, scratchArena, scratchOffset, op, isa, smallDw)
          : folds.folded().containsKey(step) ? new OpEmitter.Emitted(List.of(), List.of(), false)
          : OpEmitter.emit(model, weights, scratchArena, scratchOffset, op, alias, isa, smallDw, slices,
              folds.into().get(step));
      e = PatchEmitter.shareIdenticalConstants(e.statics(), e.calls(), declaredByContent, e.alias());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", op.operator().index());
      m.put("name", op.operator().opName());
      List<String> comment = new ArrayList<>(comment(model, plan, places, op, alias, inPlace,
          Lifetimes.pointwiseTaken(graph, plan.layout(), step), outside, slices));
      if (folds.into().containsKey(step)) {
        comment.add("  applies the table of LEAKY_RELU #" + folds.activationOp().get(step)
            + " to each output before it stores it, into that op's output");
      } else if (folds.folded().containsKey(step)) {
        comment.add("  folded into CONV_2D #" + folds.folded().get(step) + ", which applies its table: no call");
      }
      m.put("comment", comment);
      m.put("statics", firstDefinitions(e.statics(), sharedStatics));
      m.put("calls", e.calls());
      m.put("alias", e.alias());
      ops.add(m);
      int[] outs = op.params().outputTensors();
      opOutputs.add(outs.length == 0 ? -1 : outs[0]);
    }

    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", commentSafe(modelFileName));
    info.put("hash", hashHex);
    info.put("opCount", lowered.ops().size());
    info.put("tensorCount", model.tensors().size());
    info.put("arenaBytes", places.used().stream().mapToLong(a -> ((Number) a.get("bytes")).longValue()).sum());
    info.put("lowerBound", plan.lowerBound());
    info.put("weightBytes", weights.totalBytes());
    info.put("alignment", board.alignment());
    info.put("generator", generator);
    info.put("inputTotalBytes", totalBytes(model, model.inputs()));
    info.put("outputTotalBytes", totalBytes(model, model.outputs()));
    root.put("model", info);
    root.put("board", boardData(board, boardSources));
    root.put("inputs", io(model, plan, model.inputs(), "input", outside));
    root.put("outputs", io(model, plan, model.outputs(), "output", outside));
    java.util.Set<Integer> hidden = new java.util.HashSet<>(slices.keySet());
    hidden.addAll(folds.intermediates());
    root.put("tensors", arenaTensors(model, plan, places, hidden));
    root.put("inputBuffers", inputBuffers(model, inputPlace));
    root.put("arenas", places.used());
    root.put("ops", ops);
    root.put("opOutputs", opOutputs);
    root.put("weights", weights.entries());
    root.put("usesFloat", usesFloat(model, plan));
    List<Map<String, Object>> states = stateTensors(model);
    root.put("states", states);
    info.put("stateBytes", states.stream().mapToLong(m -> ((Number) m.get("bytes")).longValue()).sum());
    return root;
  }
  /**
   * The statics not defined by an earlier op: a constant several ops share (the int16 activation tables) is named
   * without an op prefix by its emitter, printed once where it is first used, and must be the same everywhere.
   */
  static List<Map<String, Object>> firstDefinitions(List<Map<String, Object>> statics,
      Map<String, Map<String, Object>> defined) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : statics) {
      Map<String, Object> earlier = defined.putIfAbsent(String.valueOf(s.get("name")), s);
      if (earlier == null) {
        out.add(s);
      } else if (!earlier.equals(s)) {
        throw new IllegalStateException("two different constants named " + s.get("name"));
      }
    }
    return out;
  }


  /** The C array holding a model input kept outside the arena (--input-memory). */
  static String inputArrayName(int tensor) {
    return "tf_input_t" + tensor;
  }

  /** The model inputs kept outside the arena: one static array each, in the section of their memory. */
  private static List<Map<String, Object>> inputBuffers(Model model, Optional<ArenaLayout.InputPlace> place) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (place.isEmpty()) {
      return out;
    }
    for (int t : place.get().tensors()) {
      Tensor x = model.tensor(t);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t);
      m.put("name", inputArrayName(t));
      m.put("ctype", CTypes.of(x));
      m.put("elements", x.shape().elementCount());
      m.put("bytes", Math.max(0, x.byteSize()));
      m.put("memory", place.get().memory());
      m.put("section", place.get().section());
      m.put("type", x.type().name().toLowerCase(Locale.ROOT));
      m.put("shape", x.shape().toString());
      m.put("tensorName", commentSafe(x.name()));
      out.add(m);
    }
    return out;
  }

  /** The C array holding a variable (state) tensor across invokes. */
  static String stateArrayName(int tensor) {
    return "tf_state_t" + tensor;
  }

  /**
   * The variable (state) tensors: each a static array of model.c outside the arena, set by model_reset() to the
   * value TFLM's ResetVariableTensors gives it (the zero point for int8 state, 0 otherwise).
   */
  private static List<Map<String, Object>> stateTensors(Model model) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Tensor t : model.tensors()) {
      if (!t.isVariable()) {
        continue;
      }
      Quantization q = t.quantization();
      boolean int8 = t.type() == io.tinyforge.model.TensorType.INT8;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t.index());
      m.put("name", stateArrayName(t.index()));
      m.put("ctype", CTypes.of(t));
      m.put("elements", t.shape().elementCount());
      m.put("bytes", Math.max(0, t.byteSize()));
      m.put("fill", int8 && q != null && !q.scales().isEmpty() ? q.zeroPoint() : 0);
      m.put("type", t.type().name().toLowerCase(Locale.ROOT));
      m.put("shape", t.shape().toString());
      out.add(m);
    }
    return out;
  }

  private static long totalBytes(Model model, List<Integer> tensors) {
    long n = 0;
    for (int t : tensors) {
      n += model.tensor(t).byteSize();
    }
    return n;
  }

  private static List<String> comment(Model model, MemoryPlan plan, Places places, LoweredOp op, boolean alias,
      boolean inPlace, boolean pointwise, List<Integer> outside, Map<Integer, TensorGraph.View> slices) {
    Operator o = op.operator();
    List<String> lines = new ArrayList<>();
    if (op.params() instanceof PatchStage stage) {
      lines.add("ops " + stage.firstOp() + ".." + stage.lastOp() + " as a patch stage: " + stage.bands().size()
          + " bands of " + stage.bandRows() + " output rows, halos recomputed");
      int[] activations = java.util.Arrays.stream(stage.inputTensors())
          .filter(t -> !model.tensor(t).isConstant()).toArray();
      lines.add("  in:  " + describe(model, plan, places, activations, outside));
      lines.add("  out: " + describe(model, plan, places, stage.outputTensors(), outside));
      lines.add(String.format(Locale.ROOT, "  band buffers %,d bytes (the stage is the first step: %s); "
          + "%,d MACs recomputed", stage.scratchBytes(), places.where(plan.scratchOffset(0)), stage.extraMacs()));
      return lines;
    }
    lines.add("op " + o.index() + ": " + o.opName() + (alias ? " (alias: the output shares the input's bytes)" : "")
        + (pointwise ? " (in place: the output starts below the input it reads for the last time)"
            : inPlace && op.params() instanceof DepthwiseParams
                ? " (in place: band by band over its input, the band's input rows copied to the scratch first)"
            : inPlace ? " (in place: the output overwrites an input read for the last time)" : ""));
    lines.add("  in:  " + describe(model, plan, places, op.params().inputTensors(), outside, slices));
    lines.add("  out: " + describe(model, plan, places, op.params().outputTensors(), outside, slices));
    if (op.params() instanceof ConcatParams c) {
      List<String> written = new ArrayList<>();
      int copied = 0;
      for (int t : c.inputs()) {
        if (slices.containsKey(t)) {
          written.add("t" + t);
        } else {
          copied++;
        }
      }
      if (!written.isEmpty()) {
        lines.add("  " + String.join(", ", written) + " written in place by " + (written.size() == 1 ? "its producer"
            : "their producers") + (copied == 0 ? ": nothing left to copy" : "; copies the other "
            + (copied == 1 ? "input" : copied + " inputs") + " into " + (copied == 1 ? "its slice" : "their slices")));
      }
    }
    long macs = ModelStats.macsOf(model, o);
    if (macs > 0) {
      lines.add(String.format(Locale.ROOT, "  %,d MACs", macs));
    }
    return lines;
  }

  private static String describe(Model model, MemoryPlan plan, Places places, int[] tensors,
      List<Integer> outside) {
    return describe(model, plan, places, tensors, outside, Map.of());
  }

  private static String describe(Model model, MemoryPlan plan, Places places, int[] tensors,
      List<Integer> outside, Map<Integer, TensorGraph.View> slices) {
    List<String> parts = new ArrayList<>();
    for (int t : tensors) {
      Tensor x = model.tensor(t);
      TensorGraph.View v = slices.get(t);
      if (v != null) { // int8: bytes are channels
        parts.add("t" + t + " " + x.type().name().toLowerCase(Locale.ROOT) + "[" + x.shape() + "] channels "
            + v.offsetBytes() + ".." + (v.offsetBytes() + v.runBytes() - 1) + " of t" + v.parent()
            + " (pixels " + v.strideBytes() + " apart)");
        continue;
      }
      String where = x.isConstant() ? "weights" : x.isVariable() ? "state " + stateArrayName(t)
          : outside.contains(t) ? inputArrayName(t) : places.where(plan.tensorOffset(t));
      parts.add("t" + t + " " + x.type().name().toLowerCase(Locale.ROOT) + "[" + x.shape() + "] " + where);
    }
    return String.join(", ", parts);
  }

  private static List<Map<String, Object>> io(Model model, MemoryPlan plan, List<Integer> tensors, String what,
      List<Integer> outside) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = model.tensor(tensors.get(i));
      if (t.isConstant() || (plan.tensorOffset(t.index()) < 0 && !outside.contains(t.index()))) {
        throw new TinyforgeException(model.source() + ": " + what + " " + i + " " + t.label()
            + " is a constant; the code generator needs model " + what + "s to be activations");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("position", i);
      m.put("tensor", t.index());
      m.put("name", commentSafe(t.name()));
      m.put("ctype", CTypes.of(t));
      m.put("type", t.type().name().toLowerCase(Locale.ROOT));
      m.put("elements", t.shape().elementCount());
      m.put("bytes", t.byteSize());
      m.put("offset", plan.tensorOffset(t.index()));
      List<Integer> shape = new ArrayList<>();
      for (int d : t.shape().toArray()) {
        shape.add(d);
      }
      m.put("shape", shape);
      Quantization q = t.quantization();
      boolean quantized = q != null && !q.scales().isEmpty();
      m.put("quantized", quantized);
      m.put("scale", FloatLiteral.hex(quantized ? q.scale() : 0f));
      m.put("zeroPoint", quantized ? q.zeroPoint() : 0);
      out.add(m);
    }
    return out;
  }

  /**
   * The LEAKY_RELUs that the 1x1 DSP CONV_2D producing their input applies in its epilogue
   * ({@link OpEmitter#foldsActivation}): the activation runs in place on the conv's output (the plan gave both one
   * buffer), nothing else reads that output and it is no graph output, so the conv may store the activation's
   * values straight away. The conv's own output then never exists as such: it is hidden from model_tensor() (the
   * per-layer check compares the activation's output instead).
   *
   * @param into conv step -> the activation it applies
   * @param activationOp conv step -> the activation's operator index
   * @param folded activation step -> the conv's operator index
   * @param intermediates the conv outputs that never exist
   */
  record ActivationFolds(Map<Integer, io.tinyforge.lower.LeakyReluParams> into, Map<Integer, Integer> activationOp,
      Map<Integer, Integer> folded, java.util.Set<Integer> intermediates) {
    static ActivationFolds of(LoweredModel lowered, MemoryPlan plan, Isa isa) {
      Model model = lowered.model();
      int[] readers = new int[model.tensors().size()];
      Map<Integer, Integer> producer = new HashMap<>();
      for (int s = 0; s < lowered.ops().size(); s++) {
        io.tinyforge.lower.KernelParams p = lowered.ops().get(s).params();
        for (int t : p.inputTensors()) {
          readers[t]++;
        }
        for (int t : p.outputTensors()) {
          producer.put(t, s);
        }
      }
      ActivationFolds f = new ActivationFolds(new HashMap<>(), new HashMap<>(), new HashMap<>(),
          new java.util.HashSet<>());
      for (int s = 0; s < lowered.ops().size(); s++) {
        if (!(lowered.ops().get(s).params() instanceof io.tinyforge.lower.LeakyReluParams act)) {
          continue;
        }
        int t = act.input();
        Integer c = producer.get(t);
        if (c == null || readers[t] != 1 || model.outputs().contains(t)
            || !(lowered.ops().get(c).params() instanceof io.tinyforge.lower.ConvParams conv)
            || !OpEmitter.foldsActivation(model, conv, act, isa)
            || plan.tensorOffset(t) < 0 || plan.tensorOffset(t) != plan.tensorOffset(act.output())) {
          continue;
        }
        f.into().put(c, act);
        f.activationOp().put(c, lowered.ops().get(s).operator().index());
        f.folded().put(s, lowered.ops().get(c).operator().index());
        f.intermediates().add(t);
      }
      return f;
    }
  }

  /** Every tensor with its arena place (offset -1: not in the arena), for the pointer macros and model_tensor. */
  private static List<Map<String, Object>> arenaTensors(Model model, MemoryPlan plan, Places places,
      java.util.Set<Integer> slices) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Tensor t : model.tensors()) {
      // a strided view has no bytes of its own in a row: no pointer, and model_tensor() cannot hand it out
      int off = slices.contains(t.index()) ? -1 : plan.tensorOffset(t.index());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", t.index());
      m.put("offset", off < 0 ? off : places.local(off));
      m.put("arena", off < 0 ? "" : places.symbol(off));
      m.put("arenaIndex", off < 0 ? -1 : places.usedIndex(off));
      m.put("inArena", off >= 0);
      m.put("bytes", Math.max(0, t.byteSize()));
      m.put("ctype", off >= 0 ? CTypes.of(t) : "uint8_t");
      m.put("type", t.type().name().toLowerCase(Locale.ROOT));
      m.put("shape", t.shape().toString());
      m.put("name", commentSafe(t.name()));
      out.add(m);
    }
    return out;
  }

  private static boolean usesFloat(Model model, MemoryPlan plan) {
    for (Tensor t : model.tensors()) {
      if (t.type().isFloat() && plan.tensorOffset(t.index()) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Object> boardData(Board board, List<String> sources) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", board.name());
    m.put("host", board.isHost());
    m.put("archFlags", board.archFlags());
    m.put("stackBytes", board.stackBytes());
    m.put("alignment", board.alignment());
    m.put("sources", sources);
    m.put("linkerScript", board.linkerScript().isPresent() ? "board/" + board.linkerScript().get() : "");
    List<Map<String, Object>> defines = new ArrayList<>();
    BoardDefines.of(board).forEach((k, v) -> {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("name", k);
      d.put("value", v == null ? "" : v);
      defines.add(d);
    });
    m.put("defines", defines);
    return m;
  }

  /** Text safe inside a C comment and a Makefile comment: printable ASCII, no comment terminator. */
  static String commentSafe(String s) {
    String p = Names.printable(s == null ? "" : s);
    StringBuilder sb = new StringBuilder();
    for (char c : p.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    // no comment delimiters, no trigraphs, no line splices
    return sb.toString().replace("*/", "*?").replace("/*", "?*").replace("??", "?-").replace("\\", "/");
  }

  /**
   * Where a virtual plan offset lives in C: the arena array of its region and the offset inside it. Regions the
   * plan leaves empty get no array.
   */
  private static final class Places {
    private final MemoryPlan plan;
    private final List<ArenaArray> arenas;
    private final List<Integer> usedRegions = new ArrayList<>();

    Places(MemoryPlan plan, List<ArenaArray> arenas) {
      if (arenas.size() != plan.regionCount()) {
        throw new IllegalArgumentException(arenas.size() + " arena arrays for a plan of " + plan.regionCount()
            + " regions");
      }
      this.plan = plan;
      this.arenas = arenas;
      for (int r = 0; r < plan.regionCount(); r++) {
        if (plan.regionBytes(r) > 0) {
          usedRegions.add(r);
        }
      }
      if (usedRegions.isEmpty()) {
        usedRegions.add(0);
      }
    }

    String symbol(int virtualOffset) {
      return arenas.get(plan.regionOf(virtualOffset)).symbol();
    }

    int local(int virtualOffset) {
      return virtualOffset - plan.regionBase(plan.regionOf(virtualOffset));
    }

    /** "arena+123" (one arena) or "tf_arena_psram+123", as the comments of model.c say where a tensor is. */
    String where(int virtualOffset) {
      if (virtualOffset < 0) {
        return "nowhere";
      }
      String symbol = symbol(virtualOffset);
      return (symbol.equals("tf_arena") ? "arena" : symbol) + "+" + local(virtualOffset);
    }

    int usedIndex(int virtualOffset) {
      return usedRegions.indexOf(plan.regionOf(virtualOffset));
    }

    /** The arrays to declare: symbol, section, bytes (at least the alignment), in region order. */
    List<Map<String, Object>> used() {
      List<Map<String, Object>> out = new ArrayList<>();
      for (int r : usedRegions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", arenas.get(r).symbol());
        m.put("section", arenas.get(r).section());
        m.put("bytes", Math.max(plan.alignment(), plan.regionBytes(r)));
        out.add(m);
      }
      return out;
    }
  }
}
