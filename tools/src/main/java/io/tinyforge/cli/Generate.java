package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.MemoryUsage;
import io.tinyforge.cgen.ArenaLayout;
import io.tinyforge.cgen.CProject;
import io.tinyforge.cgen.MakeBuild;
import io.tinyforge.cgen.ProjectGenerator;
import io.tinyforge.cgen.ProjectWriter;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.model.Model;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The main job: model + board -> C project. Reads, checks and lowers the model, plans the arena, checks that the
 * model fits the board, writes the project atomically, and for a microcontroller board with its toolchain present
 * builds it and reports flash and RAM from the ELF.
 */
final class Generate {
  private Generate() {}

  /**
   * The CLI's main job (GenFirmware.call): writes the project (into {@link #defaultOutput} when {@code output} is
   * null); for a microcontroller board whose toolchain is present also builds it and prints flash and RAM from the
   * ELF. {@code force} writes into a folder holding files tinyforge did not write (never touching them).
   */
  static int run(Path model, String board, Path output, boolean force, PrintWriter out) {
    return generate(model, board, output, force, out, true, 0, Map.of(), null);
  }

  /** {@link #run(Path, String, Path, boolean, PrintWriter)} with the arena fitted in {@code ramLimit} bytes. */
  static int run(Path model, String board, Path output, boolean force, long ramLimit, PrintWriter out) {
    return generate(model, board, output, force, out, true, ramLimit, Map.of(), null);
  }

  /** {@link #run(Path, String, Path, boolean, long, PrintWriter)} with per-memory arena limits (--region-limit). */
  static int run(Path model, String board, Path output, boolean force, long ramLimit,
      Map<String, Long> regionLimits, PrintWriter out) {
    return run(model, board, output, force, ramLimit, regionLimits, null, out);
  }

  /** As above, with the model inputs kept in {@code inputMemory} outside the arena (null: in it). */
  static int run(Path model, String board, Path output, boolean force, long ramLimit,
      Map<String, Long> regionLimits, String inputMemory, PrintWriter out) {
    return generate(model, board, output, force, out, true, ramLimit, regionLimits, inputMemory);
  }

  /**
   * Writes the project only (no build): what verify needs, since it compiles the model's sources into its own
   * verification app.
   */
  static int writeOnly(Path model, String board, Path output, PrintWriter out) {
    return generate(model, board, output, false, out, false, 0, Map.of(), null);
  }

  /** {@link #writeOnly(Path, String, Path, PrintWriter)} with the arena fitted in {@code ramLimit} bytes. */
  static int writeOnly(Path model, String board, Path output, long ramLimit, PrintWriter out) {
    return generate(model, board, output, false, out, false, ramLimit, Map.of(), null);
  }

  /** {@link #writeOnly(Path, String, Path, long, PrintWriter)} with per-memory arena limits. */
  static int writeOnly(Path model, String board, Path output, long ramLimit, Map<String, Long> regionLimits,
      PrintWriter out) {
    return writeOnly(model, board, output, ramLimit, regionLimits, null, out);
  }

  /** As above, with the model inputs kept in {@code inputMemory} outside the arena (null: in it). */
  static int writeOnly(Path model, String board, Path output, long ramLimit, Map<String, Long> regionLimits,
      String inputMemory, PrintWriter out) {
    return generate(model, board, output, false, out, false, ramLimit, regionLimits, inputMemory);
  }

  /** --region-limit values must be non-negative byte counts. */
  static Map<String, Long> checkRegionLimits(Map<String, Long> limits) {
    if (limits == null) {
      return Map.of();
    }
    limits.forEach((name, bytes) -> {
      if (bytes == null || bytes < 0) {
        throw new TinyforgeException("--region-limit " + name + "=" + bytes + ": give a number of bytes >= 0");
      }
    });
    return new java.util.TreeMap<>(limits);
  }

  /** Where a project goes without -o: {@code build/<model stem>-<board>} under the current folder. */
  static Path defaultOutput(Path model, Board board) {
    String file = model.getFileName().toString();
    String stem = file.toLowerCase(Locale.ROOT).endsWith(".tflite") ? file.substring(0, file.length() - 7) : file;
    return Path.of("build", stem + "-" + board.name());
  }

  /** The board called {@code name} in the checkout at {@code root}; unknown names list the known boards. */
  static Board board(Path root, String name) {
    try {
      return BoardRegistry.load(root).get(name);
    } catch (BoardException e) {
      throw new TinyforgeException(e.getMessage());
    }
  }

  private static int generate(Path model, String boardName, Path output, boolean force, PrintWriter out,
      boolean buildMcu, long ramLimit, Map<String, Long> regionLimits, String inputMemory) {
    if (boardName == null) {
      throw new TinyforgeException("--board is required; list the boards with: gen-firmware boards");
    }
    Path root = RepoRoot.find();
    Board board = board(root, boardName);
    if (output == null) {
      output = defaultOutput(model, board);
      out.printf("output: %s (no -o given)%n", output);
      out.flush();
    }
    byte[] bytes = readModel(model);
    Model m = TfliteReader.read(bytes, model.toString());
    if (ramLimit < 0) {
      throw new TinyforgeException("--ram-limit must be a positive number of bytes, got " + ramLimit);
    }
    LoweredModel lowered = ModelValidator.validate(m);
    CProject project = ProjectGenerator.generate(root, board, lowered, bytes, model.getFileName().toString(),
        ramLimit, checkRegionLimits(regionLimits), inputMemory);
    checkFits(model, board, project);
    ProjectWriter.Result written = ProjectWriter.write(project, output, force);
    out.printf(Locale.ROOT, "wrote %s for %s: %d ops, arena %,d bytes (live-set lower bound %,d), weights %,d bytes%n",
        output, board.name(), lowered.ops().size(), project.plan().usedBytes(), project.plan().lowerBound(),
        project.weightBytes());
    written.notes(output).forEach(out::println);
    project.layout().inputs().ifPresent(p -> out.printf(Locale.ROOT,
        "model inputs outside the arena: %,d bytes in %s (%s)%n", p.bytes(), p.memory(), p.why()));
    for (Board.ArenaMemory a : ArenaLayout.externalInUse(board, project.layout())) {
      out.printf(Locale.ROOT, "external RAM %s: set up before main%s; expected ~%sx slower than on-chip for the "
          + "buffers placed there%n", a.memory(), a.initDefine().map(d -> " (" + d + ")").orElse(""),
          PlanCommand.slowdown(a));
    }
    if (project.layout().regions().size() > 1) {
      out.println("arena per memory: " + String.join(", ", ArenaLayout.usage(project.layout())));
      project.layout().split().ifPresent(s -> out.println("FlexRAM split: " + s.describe()));
    }
    if (board.isHost()) {
      out.printf("build: make -C %s && %s/model_runner IN.bin OUT.bin%n", output, output);
    } else if (buildMcu && FirmwareBuild.toolchainAvailable(board)) {
      MemoryUsage usage = build(output, board);
      out.printf(Locale.ROOT, "built %s/firmware.elf: flash %,d bytes (text %,d + rodata %,d + data %,d), "
          + "RAM %,d bytes (arena %,d + bss %,d + data %,d + stack %,d)%s%n", output, usage.flashBytes(),
          usage.textBytes(), usage.rodataBytes(), usage.dataBytes(), usage.ramBytes(), usage.arenaBytes(),
          usage.bssBytes(), usage.dataBytes(), usage.stackBytes(), usage.inputBytes() > 0 ? String.format(Locale.ROOT,
              "; model inputs %,d bytes in a memory of their own", usage.inputBytes()) : "");
      out.print(usage.describe());
    } else if (buildMcu) {
      out.printf("arm-none-eabi-gcc not found: build later with make -C %s%n", output);
    }
    out.flush();
    return 0;
  }

  private static byte[] readModel(Path model) {
    if (Files.isDirectory(model)) {
      throw new TinyforgeException("model " + model + " is a folder, not a model file; pass the path of a .tflite file");
    }
    if (!Files.isRegularFile(model)) {
      throw new TinyforgeException("model " + model + " does not exist; pass the path of a .tflite file");
    }
    try {
      return Files.readAllBytes(model);
    } catch (IOException e) {
      throw new TinyforgeException("cannot read model " + model + " (" + e.getMessage() + ")");
    } catch (OutOfMemoryError e) {
      throw new TinyforgeException("model " + model + " is too large to read");
    }
  }

  /** Fails before anything is written or compiled if the weights or the arena cannot fit the board's memories. */
  static void checkFits(Path model, Board board, CProject project) {
    if (board.isHost()) {
      return;
    }
    Optional<Board.Memory> flash = board.weightsMemory().flatMap(board::memory);
    if (flash.isPresent() && project.weightBytes() > flash.get().length()) {
      throw new TinyforgeException(String.format(Locale.ROOT,
          "%s does not fit %s: its weights need %,d bytes but the %s memory holds %,d bytes; use a board with "
              + "more flash or a smaller model", model, board.name(), project.weightBytes(), flash.get().name(),
          flash.get().length()));
    }
    if (project.layout().regions().size() > 1) {
      return; // the layout gave every region at most its capacity (PlanChecker proved the plan stays inside)
    }
    Optional<Board.Memory> ram = board.arenaMemory().flatMap(board::memory);
    long arena = project.plan().arenaBytes();
    long stack = board.arenaMemory().equals(board.ramMemory()) ? board.stackBytes() : 0;
    if (ram.isPresent() && arena + stack > ram.get().length()) {
      throw new TinyforgeException(String.format(Locale.ROOT,
          "%s does not fit %s: its arena needs %,d bytes%s but the %s memory holds %,d bytes; use a board with "
              + "more RAM or a smaller model", model, board.name(), arena,
          stack > 0 ? String.format(Locale.ROOT, " (+ %,d stack)", stack) : "", ram.get().name(),
          ram.get().length()));
    }
  }

  private static MemoryUsage build(Path output, Board board) {
    MakeBuild.Result r = MakeBuild.run(output.toAbsolutePath(), 600);
    if (r.exitCode() != 0) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "building the generated project failed "
          + "(make -C " + output + "): " + r.firstError());
    }
    return MemoryUsage.of(ElfFile.read(output.resolve("firmware.elf")), board);
  }
}
