package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.memory.FlexRamSplit;
import io.tinyforge.memory.MemoryPlan;
import io.tinyforge.memory.MemoryPlanner;
import io.tinyforge.memory.PatchPlanner;
import io.tinyforge.memory.TensorGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which memories hold the arena. A board that lists {@code arena_memories} (fastest first) gets one arena per
 * memory: the plan's offsets are virtual, the memories laid end to end in speed order, and no buffer crosses from
 * one to the next (see {@link MemoryPlan#boundaries()}). The planner fills the fastest memory first. On an
 * i.MX RT board ({@code flexram} in board.json) the FlexRAM split is chosen here too: the smallest DTCM that holds
 * the whole arena; else the largest DTCM with which the arena spans DTCM and OCRAM; else (patches needed) the split
 * with the most arena room. Boards without {@code arena_memories} keep one arena in {@code arena_memory} (or
 * {@code fast_arena_memory} when it fits there).
 */
public final class ArenaLayout {
  private ArenaLayout() {}

  /** One memory the arena may use, with the bytes the arena may take in it (after the stack and data reserve). */
  public record Region(String memory, String section, long origin, long capacity, String symbol) {}

  /**
   * Model inputs kept outside the arena, each in a static buffer of its own in {@code memory} (--input-memory).
   *
   * @param section the linker input section that puts the buffers there (board.json {@code input_section})
   * @param tensors the model input tensors it holds
   * @param bytes their bytes, each rounded up to the board's alignment
   */
  public record InputPlace(String memory, String section, List<Integer> tensors, long bytes, boolean forLimit) {
    public InputPlace {
      tensors = List.copyOf(tensors);
    }

    public InputPlace(String memory, String section, List<Integer> tensors, long bytes) {
      this(memory, section, tensors, bytes, false);
    }

    /** How it came there, for reports: --input-memory, or the RAM limit the inputs alone broke. */
    public String why() {
      return forLimit ? "kept there because the inputs alone are over --ram-limit" : "--input-memory";
    }
  }

  /**
   * The plan, the regions in plan order (one per plan region), the FlexRAM split when the board has one, and where
   * the model inputs are when they are kept outside the arena.
   */
  public record Layout(PatchPlanner.Choice choice, List<Region> regions, Optional<FlexRamSplit> split,
      long budget, long ocramFixedBytes, Optional<InputPlace> inputs) {
    public Layout(PatchPlanner.Choice choice, List<Region> regions, Optional<FlexRamSplit> split, long budget,
        long ocramFixedBytes) {
      this(choice, regions, split, budget, ocramFixedBytes, Optional.empty());
    }

    public MemoryPlan plan() {
      return choice.plan();
    }

    /** Linker symbols (--defsym) the board's linker script reads: the split's memory lengths and GPR values. */
    public Map<String, Long> linkerSymbols() {
      Map<String, Long> m = new LinkedHashMap<>();
      split.ifPresent(s -> {
        m.put("__flexram_planned", 1L);
        m.put("__flexram_dtcm_length", s.dtcmBytes());
        m.put("__ocram_length", ocramFixedBytes + s.ocramBytes());
        m.put("__flexram_gpr17", s.gpr17() & 0xFFFFFFFFL);
        m.put("__flexram_gpr16_bits", (long) s.gpr16Bits());
        m.put("__flexram_gpr14_sizes", (long) s.gpr14Sizes());
      });
      return m;
    }
  }

  /**
   * @param ramLimit the most arena bytes over all regions (0: what the memories hold)
   * @param regionLimits at most this many arena bytes in the named memory (--region-limit)
   */
  public static Layout plan(LoweredModel fused, Board board, long ramLimit, Map<String, Long> regionLimits,
      String what) {
    return plan(fused, board, ramLimit, regionLimits, (String) null, what);
  }

  /**
   * As above; with {@code inputMemory} (not null) the model inputs live in that memory outside the arena, so that
   * {@code ramLimit} bounds the rest: a camera frame in external RAM while every activation stays on chip.
   */
  public static Layout plan(LoweredModel fused, Board board, long ramLimit, Map<String, Long> regionLimits,
      String inputMemory, String what) {
    if (inputMemory == null) {
      try {
        return planWith(fused, board, ramLimit, regionLimits, Optional.empty(), what);
      } catch (PatchPlanner.OverLimit e) {
        Optional<InputRelief> relief = InputRelief.of(e, fused, board);
        if (relief.isPresent() && relief.get().movesThemFor(ramLimit)) {
          Layout l = plan(fused, board, ramLimit, regionLimits, relief.get().home().memory(), what);
          InputPlace p = l.inputs().orElseThrow();
          return new Layout(l.choice(), l.regions(), l.split(), l.budget(), l.ocramFixedBytes(),
              Optional.of(new InputPlace(p.memory(), p.section(), p.tensors(), p.bytes(), true)));
        }
        throw relief.<TinyforgeException>map(r -> r.advice(e, ramLimit)).orElse(e);
      }
    }
    Board.ArenaMemory home = board.arenaMemories().stream().filter(a -> a.memory().equals(inputMemory))
        .findFirst().orElse(null);
    if (home == null || home.inputSection().isEmpty()) {
      List<String> able = board.arenaMemories().stream().filter(a -> a.inputSection().isPresent())
          .map(Board.ArenaMemory::memory).toList();
      throw new TinyforgeException("--input-memory names '" + inputMemory + "', which board " + board.name()
          + " cannot hold model inputs in; " + (able.isEmpty() ? "it has no such memory (its linker script "
          + "needs an input_section, see boards/README.md)" : "use one of " + able));
    }
    List<Integer> inputs = runtimeInputs(fused);
    long bytes = 0;
    for (int t : inputs) {
      long b = Math.max(0, fused.model().tensor(t).byteSize());
      bytes += (b + board.alignment() - 1) / board.alignment() * board.alignment();
    }
    return planWith(fused, board, ramLimit, regionLimits,
        Optional.of(new InputPlace(inputMemory, home.inputSection().get(), inputs, bytes)), what);
  }

  /** The model inputs the application writes (not constants): what --input-memory moves out of the arena. */
  private static List<Integer> runtimeInputs(LoweredModel fused) {
    List<Integer> out = new ArrayList<>();
    for (int t : fused.model().inputs()) {
      if (!fused.model().tensor(t).isConstant()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * A RAM limit the arena cannot meet while it holds the model inputs (a 320x320 RGB frame alone is 300 KiB) may
   * be met with the inputs in the board's input memory: {@code rest} is the smallest peak of everything else,
   * below the smallest peak with them.
   */
  private record InputRelief(Board.ArenaMemory home, long rest) {
    /** The relief when the board has an input memory and the inputs are part of what the peak holds. */
    static Optional<InputRelief> of(PatchPlanner.OverLimit e, LoweredModel fused, Board board) {
      Optional<Board.ArenaMemory> home = board.arenaMemories().stream().filter(a -> a.inputSection().isPresent())
          .findFirst();
      Set<Integer> inputs = Set.copyOf(runtimeInputs(fused));
      if (home.isEmpty() || inputs.isEmpty()) {
        return Optional.empty();
      }
      long rest = PatchPlanner.smallestPeak(fused, board.alignment(), ScratchSizes.of(board), inputs);
      return rest < e.smallest() ? Optional.of(new InputRelief(home.get(), rest)) : Optional.empty();
    }

    /**
     * Whether the inputs go there by themselves: the rest fits the limit and the memory is one the plans use anyway
     * (qemu-mps2-an500's psram), not opt-in external RAM, which the error names instead.
     */
    boolean movesThemFor(long ramLimit) {
      return ramLimit > 0 && !home.external() && rest <= ramLimit;
    }

    /** The one-line error: what was measured, and the memory with what the rest needs. */
    TinyforgeException advice(PatchPlanner.OverLimit e, long ramLimit) {
      String memory = home.memory();
      return new TinyforgeException(String.format(java.util.Locale.ROOT, "%s; with the model inputs in %s "
          + "(e.g. a camera frame in external RAM) the other activations need %,d bytes: %s", e.finding(), memory,
          rest, ramLimit > 0 && rest <= ramLimit
              ? "add --input-memory " + memory + ", raise the limit, or use a board with more RAM"
              : "add --input-memory " + memory + " and raise the limit to at least that, or use a board with more "
                  + "RAM"));
    }
  }

  private static Layout planWith(LoweredModel fused, Board board, long ramLimit, Map<String, Long> regionLimits,
      Optional<InputPlace> inputs, String what) {
    Set<Integer> outside = inputs.map(p -> Set.copyOf(p.tensors())).orElse(Set.of());
    int align = board.alignment();
    if (board.arenaMemories().isEmpty()) {
      if (!regionLimits.isEmpty()) {
        throw new TinyforgeException("board " + board.name() + " puts its arena in one memory; --region-limit needs "
            + "a board whose board.json lists arena_memories (e.g. qemu-mps2-an500, imxrt1060-evk)");
      }
      long budget = ramLimit > 0 ? ramLimit : ProjectGenerator.arenaCapacity(board);
      PatchPlanner.Choice choice = PatchPlanner.plan(fused, align, budget, new int[0], what, budget,
          ScratchSizes.of(board));
      String memory = board.isHost() ? "host" : board.arenaMemory().orElse("ram");
      String section = board.isHost() ? Board.ARENA_SECTION : board.arenaSection(choice.plan().arenaBytes());
      if (section.equals(Board.FAST_ARENA_SECTION)) {
        memory = board.fastArenaMemory().orElse(memory);
      }
      return new Layout(choice, List.of(new Region(memory, section, 0, budget, "tf_arena")), Optional.empty(),
          budget, 0);
    }
    for (String name : regionLimits.keySet()) {
      if (board.arenaMemories().stream().noneMatch(a -> a.memory().equals(name))) {
        throw new TinyforgeException("--region-limit names '" + name + "', which is not an arena memory of board "
            + board.name() + "; use one of " + board.arenaMemories().stream().map(Board.ArenaMemory::memory).toList());
      }
    }
    TensorGraph graph = TensorGraph.of(fused, ScratchSizes.of(board)).withOutside(outside);
    List<Optional<FlexRamSplit>> splits = new ArrayList<>();
    board.flexram().ifPresentOrElse(f -> {
      for (FlexRamSplit s : FlexRamSplit.candidates(f.banks(), f.bankBytes(), f.itcmMinBytes(), dtcmMinBytes(board))) {
        splits.add(Optional.of(s));
      }
      if (splits.isEmpty()) {
        throw new TinyforgeException("board " + board.name() + ": no FlexRAM split gives " + dtcmMinBytes(board)
            + " bytes of DTCM (stack + data) and " + f.itcmMinBytes() + " of ITCM; fix its flexram block");
      }
    }, () -> splits.add(Optional.empty()));

    long single = MemoryPlanner.arenaBytes(graph, align, new int[0]);
    // 1. The whole arena in the fastest memory, with the least of it taken (smallest DTCM first).
    for (Optional<FlexRamSplit> s : splits) {
      List<Region> regions = regions(board, s, ramLimit, regionLimits, inputs);
      if (single <= regions.get(0).capacity()) {
        // All of it in one memory: the tightest plan (no order may spill a buffer into the next memory, and the
        // hot-first order, which only decides what goes where, would waste room).
        return fit(fused, board, regions, s, what, ramLimit, single, inputs);
      }
    }
    // 2. Spanning memories without patches, the most fast memory first (largest DTCM first). First fit over the
    //    memories laid end to end is a heuristic for packing bins: when speed order leaves the buffers of the
    //    peak step stranded, another order of the memories may pack them.
    for (int i = splits.size() - 1; i >= 0; i--) {
      for (List<Region> regions : orders(regions(board, splits.get(i), ramLimit, regionLimits, inputs))) {
        if (MemoryPlanner.arenaBytes(graph, align, boundaries(regions)) <= total(regions)) {
          return fit(fused, board, regions, splits.get(i), what, ramLimit, inputs);
        }
      }
    }
    // 3. Patches, in the split with the most arena room (ties: more DTCM).
    Optional<FlexRamSplit> roomiest = splits.get(0);
    long room = -1;
    for (Optional<FlexRamSplit> s : splits) {
      long t = total(regions(board, s, ramLimit, regionLimits, inputs));
      if (t >= room) {
        room = t;
        roomiest = s;
      }
    }
    return fit(fused, board, regions(board, roomiest, ramLimit, regionLimits, inputs), roomiest, what, ramLimit,
        inputs);
  }

  private static Layout fit(LoweredModel fused, Board board, List<Region> regions, Optional<FlexRamSplit> split,
      String what, long ramLimit, Optional<InputPlace> inputs) {
    return fit(fused, board, regions, split, what, ramLimit, total(regions), inputs);
  }

  /** The plan within the regions, its end at most {@code within} bytes (at most their total). */
  private static Layout fit(LoweredModel fused, Board board, List<Region> regions, Optional<FlexRamSplit> split,
      String what, long ramLimit, long within, Optional<InputPlace> inputs) {
    long budget = total(regions);
    PatchPlanner.Choice choice = PatchPlanner.plan(fused, board.alignment(), Math.max(1, within),
        boundaries(regions), what, ramLimit > 0 ? ramLimit : budget, ScratchSizes.of(board),
        inputs.map(p -> Set.copyOf(p.tensors())).orElse(Set.of()));
    return new Layout(choice, regions, split, budget,
        board.flexram().map(Board.FlexRam::ocramFixedBytes).orElse(0L), inputs);
  }

  /** Stack, .data, .bss and heap room the RAM memory keeps beside any arena. */
  static long dtcmMinBytes(Board board) {
    return board.stackBytes() + Board.FAST_MEMORY_RESERVE;
  }

  /** The arena memories of the board in speed order, sized by the split and cut by the limits. */
  static List<Region> regions(Board board, Optional<FlexRamSplit> split, long ramLimit,
      Map<String, Long> regionLimits) {
    return regions(board, split, ramLimit, regionLimits, Optional.empty());
  }

  /**
   * The arena memories a plan may use, fastest first: every on-chip one, and an external one (board.json
   * {@code "external": true}, e.g. the EVK's SDRAM) only when {@code --region-limit} names it. Without that the
   * plan, and so the image, is the same as on a board without the external RAM.
   */
  static List<Board.ArenaMemory> usableMemories(Board board, Map<String, Long> regionLimits) {
    return board.arenaMemories().stream().filter(a -> !a.external() || regionLimits.containsKey(a.memory()))
        .toList();
  }

  /**
   * The external memories the layout puts anything in (arena buffers or the model inputs): what needs its start-up
   * set-up (board.json {@code init_define}) in the image.
   */
  public static List<Board.ArenaMemory> externalInUse(Board board, Layout layout) {
    List<Board.ArenaMemory> out = new ArrayList<>();
    for (Board.ArenaMemory a : board.arenaMemories()) {
      if (!a.external()) {
        continue;
      }
      boolean used = layout.inputs().filter(p -> p.memory().equals(a.memory()) && p.bytes() > 0).isPresent();
      for (int r = 0; r < layout.regions().size(); r++) {
        used |= layout.regions().get(r).memory().equals(a.memory()) && layout.plan().regionBytes(r) > 0;
      }
      if (used) {
        out.add(a);
      }
    }
    return out;
  }

  /** As above; the memory that keeps the model inputs outside the arena has that much less room for it. */
  static List<Region> regions(Board board, Optional<FlexRamSplit> split, long ramLimit,
      Map<String, Long> regionLimits, Optional<InputPlace> inputs) {
    List<Region> out = new ArrayList<>();
    List<Board.ArenaMemory> usable = usableMemories(board, regionLimits);
    boolean many = usable.size() > 1;
    for (Board.ArenaMemory a : usable) {
      Board.Memory m = board.memory(a.memory()).orElseThrow();
      long length = m.length();
      if (split.isPresent()) {
        Board.FlexRam f = board.flexram().orElseThrow();
        if (a.memory().equals(f.dtcmMemory())) {
          length = split.get().dtcmBytes();
        } else if (a.memory().equals(f.ocramMemory())) {
          length = f.ocramFixedBytes() + split.get().ocramBytes();
        }
      }
      long reserve = board.ramMemory().filter(a.memory()::equals).isPresent() ? dtcmMinBytes(board) : 0;
      if (inputs.isPresent() && inputs.get().memory().equals(a.memory())) {
        reserve += inputs.get().bytes();
      }
      long capacity = Math.max(0, length - reserve);
      if (regionLimits.containsKey(a.memory())) {
        capacity = Math.min(capacity, regionLimits.get(a.memory()));
      }
      capacity = capacity / board.alignment() * board.alignment();
      out.add(new Region(a.memory(), a.section(), m.origin(), capacity, many ? "tf_arena_" + a.memory()
          : "tf_arena"));
    }
    if (ramLimit > 0) {
      // A total limit takes room from the slowest memories first.
      long over = total(out) - ramLimit / board.alignment() * board.alignment();
      for (int i = out.size() - 1; i >= 0 && over > 0; i--) {
        Region r = out.get(i);
        long cut = Math.min(over, r.capacity());
        out.set(i, new Region(r.memory(), r.section(), r.origin(), r.capacity() - cut, r.symbol()));
        over -= cut;
      }
    }
    return out;
  }

  /** The regions in speed order, then every other order (there are at most a few memories). */
  static List<List<Region>> orders(List<Region> regions) {
    List<List<Region>> out = new ArrayList<>();
    permute(new ArrayList<>(regions), 0, out);
    out.remove(regions);
    out.add(0, regions);
    return out;
  }

  private static void permute(List<Region> list, int k, List<List<Region>> out) {
    if (k == list.size()) {
      out.add(List.copyOf(list));
      return;
    }
    for (int i = k; i < list.size(); i++) {
      java.util.Collections.swap(list, k, i);
      permute(list, k + 1, out);
      java.util.Collections.swap(list, k, i);
    }
  }

  static long total(List<Region> regions) {
    return regions.stream().mapToLong(Region::capacity).sum();
  }

  static int[] boundaries(List<Region> regions) {
    int[] b = new int[regions.size() - 1];
    long at = 0;
    for (int i = 0; i < b.length; i++) {
      at += regions.get(i).capacity();
      b[i] = Math.toIntExact(at);
    }
    return b;
  }

  /** "dtcm 12,345 of 491,520 bytes" per region, for reports. */
  public static List<String> usage(Layout layout) {
    List<String> out = new ArrayList<>();
    MemoryPlan p = layout.plan();
    for (int r = 0; r < layout.regions().size(); r++) {
      Region region = layout.regions().get(r);
      out.add(String.format(Locale.ROOT, "%s %,d of %,d bytes", region.memory(), p.regionBytes(r),
          region.capacity()));
    }
    return out;
  }
}
