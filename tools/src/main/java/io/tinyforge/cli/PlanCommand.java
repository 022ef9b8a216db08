package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.cgen.ArenaLayout;
import io.tinyforge.cgen.ProjectGenerator;
import io.tinyforge.cgen.Templates;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.memory.MemoryPlan;
import io.tinyforge.memory.PatchPlanner;
import io.tinyforge.memory.PlanReport;
import io.tinyforge.model.Model;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware plan model.tflite [--svg plan.svg]}: the arena plan the code generator uses, as a table (and
 * a picture). The plan has passed the independent PlanChecker before it is printed.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Print the static memory plan of a model: one row per arena buffer (offset, size, the ops it is "
        + "live for, the tensors it holds), then the arena size and the live-set lower bound.",
        "The plan is checked by an independent checker before it is printed. Last line: TFLM's arena_used_bytes "
            + "for the same model, measured by tflite-micro."})
final class PlanCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The int8 .tflite model.")
  Path model;

  @Option(names = "--svg", paramLabel = "FILE", description = "Also write the plan as an SVG picture: ops on x, "
      + "arena offsets on y.")
  Path svg;

  @Option(names = "--board", description = "Plan with this board's alignment (default: --alignment).")
  String board;

  @Option(names = "--alignment", defaultValue = "16", description = "Buffer alignment in bytes (default: 16).")
  int alignment;

  @Option(names = "--ram-limit", paramLabel = "BYTES", description = "Fit the arena in BYTES: over it the leading "
      + "ops run as a patch stage (bands of rows, halos recomputed); exit 2 naming the smallest reachable peak when "
      + "nothing fits (default: the board's arena memory with --board, else no limit).")
  long ramLimit;

  @Option(names = "--region-limit", paramLabel = "MEMORY=BYTES", description = "With --board: at most BYTES of "
      + "arena in that memory of the board's arena_memories (repeatable); external RAM (sdram on imxrt1060-evk, psram "
      + "on teensy41) holds arena buffers only when named here.")
  java.util.Map<String, Long> regionLimits;

  @Option(names = "--input-memory", paramLabel = "MEMORY", description = "With --board: keep the model inputs in "
      + "MEMORY outside the arena (a camera frame in external RAM); --ram-limit then bounds the rest.")
  String inputMemory;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the plan as JSON: per memory region its "
      + "capacity, bytes used and buffers (virtual and local offsets); the FlexRAM split when the board has one.")
  Path json;

  @Option(names = "--no-tflm", description = "Do not measure TFLM's arena_used_bytes for comparison (it needs "
      + "python3 with tflite-micro, which tools/setup installs).")
  boolean noTflm;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Board target = board != null ? Generate.board(RepoRoot.find(), board) : null;
    int align = target != null ? target.alignment() : alignment;
    if (align < 1 || Integer.bitCount(align) != 1) {
      throw new TinyforgeException("--alignment must be a power of two, got " + align);
    }
    Model m = TfliteReader.read(model);
    if (ramLimit < 0) {
      throw new TinyforgeException("--ram-limit must be a positive number of bytes, got " + ramLimit);
    }
    LoweredModel layered = ModelValidator.validate(m);
    Fusion.Result fusion = Fusion.fuse(layered);
    Map<String, Long> limits = Generate.checkRegionLimits(regionLimits);
    if (target == null && (!limits.isEmpty() || inputMemory != null)) {
      throw new TinyforgeException((inputMemory != null ? "--input-memory" : "--region-limit")
          + " needs --board (the memories are the board's)");
    }
    ArenaLayout.Layout layout = null;
    PatchPlanner.Choice choice;
    long budget;
    if (target != null) {
      layout = ArenaLayout.plan(fusion.scheduled(), target, ramLimit, limits, inputMemory, model.toString());
      choice = layout.choice();
      budget = layout.budget();
    } else {
      budget = ramLimit;
      choice = PatchPlanner.plan(fusion.scheduled(), align, budget, model.toString());
    }
    LoweredModel lowered = choice.scheduled();
    MemoryPlan plan = choice.plan();
    PrintWriter out = spec.commandLine().getOut();
    out.println("memory plan of " + model + " (alignment " + align + " bytes"
        + (plan.regionCount() > 1 ? "; offsets are virtual: the memories below laid end to end" : "") + ")");
    out.print(PlanReport.table(lowered, plan));
    out.print(PlanReport.schedule(layered, fusion, choice, budget));
    if (layout != null) {
      out.print(regionReport(target, layout));
    }
    if (!noTflm) {
      TflmArena tflm = TflmArena.measure(RepoRoot.find(), model);
      long state = PlanReport.stateBytes(m);
      if (tflm.measured() && state > 0) {
        // TFLM's arena also holds the variable tensors, so compare arena + state with it.
        out.printf(java.util.Locale.ROOT, "TFLM arena_used_bytes %,d bytes (tflite-micro, host build, state "
            + "included): this plan's arena + state (%,d bytes) is %.1f%% of it%n", tflm.bytes(),
            plan.usedBytes() + state, 100.0 * (plan.usedBytes() + state) / tflm.bytes());
      } else if (tflm.measured()) {
        out.printf(java.util.Locale.ROOT, "TFLM arena_used_bytes %,d bytes (tflite-micro, host build): this plan is "
            + "%.1f%% of it%n", tflm.bytes(), 100.0 * plan.usedBytes() / tflm.bytes());
      } else {
        out.println("TFLM arena_used_bytes: not measured (" + tflm.whyMissing() + ")");
      }
    }
    if (svg != null) {
      Templates t = new Templates(RepoRoot.find().resolve(ProjectGenerator.TEMPLATE_DIR));
      String text = t.render("plan.svg.ftl", PlanReport.svgData(lowered, plan,
          "memory plan of " + model.getFileName(), layout == null ? List.of()
              : layout.regions().stream().map(ArenaLayout.Region::memory).toList()));
      try {
        Path parent = svg.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(svg, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + svg + " ("
            + e.getMessage() + ")");
      }
      out.println("wrote " + svg);
    }
    if (json != null) {
      write(json, PlanJson.of(model, lowered, plan, layout, target));
      out.println("wrote " + json);
    }
    out.flush();
    return 0;
  }

  /**
   * Per memory: bytes used of its capacity, on-chip or external; the FlexRAM split; whether external RAM is used and,
   * when it is, how much slower the buffers there are expected to run. What a board description alone cannot say
   * (the bytes) comes from the plan.
   */
  static String regionReport(Board board, ArenaLayout.Layout layout) {
    StringBuilder sb = new StringBuilder();
    MemoryPlan plan = layout.plan();
    long onChip = 0;
    int onChipRegions = 0;
    // on chip / external only on boards with opt-in external RAM (the QEMU boards' memories are all planned alike)
    boolean marked = board.arenaMemories().stream().anyMatch(Board.ArenaMemory::external);
    for (int r = 0; r < layout.regions().size(); r++) {
      ArenaLayout.Region region = layout.regions().get(r);
      boolean external = board.isExternal(region.memory());
      if (!external) {
        onChip += plan.regionBytes(r);
        onChipRegions += plan.regionBytes(r) > 0 ? 1 : 0;
      }
      sb.append(String.format(Locale.ROOT, "region %-14s @ 0x%08x: %,9d of %,9d bytes (%s%s)%n", region.memory(),
          region.origin(), plan.regionBytes(r), region.capacity(), region.section(),
          !marked ? "" : external ? ", external" : ", on chip"));
    }
    if (marked) {
      sb.append(String.format(Locale.ROOT, "arena on chip: %,d bytes in %d region(s)%n", onChip, onChipRegions));
    }
    layout.inputs().ifPresent(p -> sb.append(String.format(Locale.ROOT, "model inputs outside the arena: %,d bytes "
        + "in %s (%s%s, %s)%n", p.bytes(), p.memory(), p.section(),
        !marked ? "" : board.isExternal(p.memory()) ? ", external" : ", on chip", p.why())));
    layout.split().ifPresent(s -> sb.append("FlexRAM split: ").append(s.describe()).append(String.format(Locale.ROOT,
        " (GPR17 0x%08x; after reset, unprogrammed fuses: ITCM 128 KiB / DTCM 128 KiB / OCRAM 256 KiB)%n",
        s.gpr17())));
    List<Board.ArenaMemory> used = ArenaLayout.externalInUse(board, layout);
    for (Board.ArenaMemory a : used) {
      long arena = 0;
      for (int r = 0; r < layout.regions().size(); r++) {
        arena += layout.regions().get(r).memory().equals(a.memory()) ? plan.regionBytes(r) : 0;
      }
      long inputs = layout.inputs().filter(p -> p.memory().equals(a.memory())).map(ArenaLayout.InputPlace::bytes)
          .orElse(0L);
      sb.append(String.format(Locale.ROOT, "external RAM %s: %,d bytes of arena, %,d bytes of model inputs; expected "
          + "~%sx slower than on-chip for the buffers placed there (%s)%n", a.memory(), arena, inputs,
          slowdown(a), a.slowdownSource().orElse("no source given")));
      a.initDefine().ifPresent(d -> sb.append("  images built from this plan set ").append(a.memory())
          .append(" up before main (").append(d).append(")\n"));
    }
    List<Board.ArenaMemory> external = board.arenaMemories().stream().filter(Board.ArenaMemory::external).toList();
    if (used.isEmpty() && (board.flexram().isPresent() || !external.isEmpty())) {
      sb.append("external RAM (EVK SDRAM, Teensy PSRAM): not used; the arena stays on chip\n");
      for (Board.ArenaMemory a : external) {
        sb.append(String.format(Locale.ROOT, "  %s is used only on request: --input-memory %s (model inputs), "
            + "--region-limit %s=BYTES (arena); expected ~%sx slower than on-chip%n", a.memory(), a.memory(),
            a.memory(), slowdown(a)));
      }
    }
    return sb.toString();
  }

  /** "3" or "2.5": board.json's slowdown without a needless ".0". */
  static String slowdown(Board.ArenaMemory a) {
    double v = a.slowdown().orElse(1.0);
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + file + " ("
          + e.getMessage() + ")");
    }
  }
}
