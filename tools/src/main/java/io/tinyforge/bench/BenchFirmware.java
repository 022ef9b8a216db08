package io.tinyforge.bench;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.MemoryUsage;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.cli.GenFirmware;
import io.tinyforge.cli.RepoRoot;
import io.tinyforge.cli.TflmArena;
import io.tinyforge.memory.PlanReport;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tools/bench-firmware}: the firmware performance benchmark. For every model of the reference notes found
 * in the shared models and every QEMU board asked for, generates and builds the firmware with gen-firmware, runs it
 * under QEMU exactly as the product does (QemuLauncher, -icount), and prints our instructions, arena and flash next
 * to TFLM's figures from {@code ../shared/notes/REFERENCE-FIGURES.md}, checking the all-zero-input outputs on the way.
 */
@Command(name = "bench-firmware", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark the generated firmware under QEMU against TFLM's reference figures.",
        "Counts are instructions under QEMU -icount, not cycles. Reference figures are read from the notes at run "
            + "time; without the notes they print as n/a."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every model ran and no output differs from TFLM's",
        "1:a model failed to build or run, or its all-zero-input output differs from TFLM's (marked WRONG)",
        "2:bad arguments (unknown board or model, a board that is not a QEMU board)",
        "3:qemu-system-arm or the arm-none-eabi toolchain is missing"})
public final class BenchFirmware implements Callable<Integer> {
  /** The benchmark's models when the notes are absent: the same five, by file name. */
  static final List<String> FALLBACK_MODELS = List.of("tflm_person_detect_int8", "mlperf_tiny_vww_96_int8",
      "mlperf_tiny_ic_resnet8_int8", "mlperf_tiny_kws_ref_int8", "mlperf_tiny_ad01_int8");
  /**
   * Models benchmarked beside the notes' models although the notes have no figures for them: TFLM's stateful
   * keyword model (SVDF, int16 state), compared with the oracle's TFLM arena only.
   */
  static final List<String> EXTRA_MODELS = List.of("tflm_keyword_scrambled_int16io");
  static final List<String> DEFAULT_BOARDS = List.of("qemu-mps2-an500", "qemu-mps3-an547");
  private static final Duration RUN_LIMIT = Duration.ofSeconds(300);

  @Option(names = "--board", split = ",", paramLabel = "BOARD",
      description = "QEMU board(s), repeatable or comma-separated (default: qemu-mps2-an500,qemu-mps3-an547).")
  List<String> boards;

  @Option(names = "--model", split = ",", paramLabel = "MODEL",
      description = "Model(s) to run: part of a file name (person_detect, vww, ic_resnet8, kws, ad01) or a "
          + ".tflite path; repeatable or comma-separated (default: every model of the notes found).")
  List<String> modelNames;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path json;

  @Option(names = "--no-tflm", description = "Do not measure TFLM's host arena_used_bytes now (needs python3 "
      + "with tflite-micro).")
  boolean noTflm;

  @Option(names = "--work", paramLabel = "DIR", description = "Build the projects in DIR and keep them "
      + "(default: a temporary folder, deleted afterwards).")
  Path work;

  @Option(names = "--shared", paramLabel = "DIR", description = "The shared folder with models/ and "
      + "notes/REFERENCE-FIGURES.md (default: ../shared next to the checkout).")
  Path shared;

  @Option(names = "--per-layer", description = "Also profile every model on every board with 'gen-firmware "
      + "profile' and print its per-operator table (instructions, share, overhead of the hooks).")
  boolean perLayer;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private PrintWriter err;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the benchmark with the given streams and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    BenchFirmware bench = new BenchFirmware();
    bench.err = err;
    CommandLine cl = new CommandLine(bench);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (bench.verbose) {
        ex.printStackTrace(err);
      }
      if (ex instanceof TinyforgeException te) {
        err.println("error: " + te.getMessage());
        err.flush();
        return te.exitCode();
      }
      err.println("error: internal error " + ex + " (--verbose shows the stack trace)");
      err.flush();
      return TinyforgeException.EXIT_CHECK_FAILED;
    });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path root = RepoRoot.find();
    Path sharedDir = (shared != null ? shared : root.resolve("../shared")).toAbsolutePath().normalize();
    Path notes = sharedDir.resolve("notes/REFERENCE-FIGURES.md");
    Optional<ReferenceFigures> figures = ReferenceFigures.load(notes);

    List<Board> targets = boards(root);
    List<Path> models = models(sharedDir.resolve("models"), figures);
    if (!QemuLauncher.available()) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, QemuLauncher.QEMU
          + " not found on PATH: install it (tools/setup, or apt-get install qemu-system-arm)");
    }
    for (Board b : targets) {
      if (!FirmwareBuild.toolchainAvailable(b)) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "arm-none-eabi-gcc not found on PATH "
            + "(needed for " + b.name() + "): install it (tools/setup, or apt-get install gcc-arm-none-eabi "
            + "libnewlib-arm-none-eabi)");
      }
    }
    if (figures.isEmpty()) {
      err.println("bench: " + notes + " is absent: TFLM reference figures print as n/a");
    }

    Path dir = work != null ? work.toAbsolutePath() : Files.createTempDirectory("bench-firmware");
    List<BenchRow> rows = new ArrayList<>();
    List<String> profiles = new ArrayList<>();
    boolean profilesGood = true;
    try {
      for (Path model : models) {
        String name = stem(model);
        long state = PlanReport.stateBytes(TfliteReader.read(model));
        if (state > 0) {
          err.println("bench: " + name + ": 'our arena' includes " + state + " bytes of state kept outside the "
              + "arena (TFLM's arena holds its variable tensors too)");
        }
        Long hostArena = null;
        if (!noTflm) {
          TflmArena a = TflmArena.measure(root, model);
          if (a.measured()) {
            hostArena = a.bytes();
          } else {
            err.println("bench: " + name + ": TFLM host arena not measured (" + a.whyMissing() + ")");
          }
        }
        for (Board board : targets) {
          err.println("bench: " + name + " on " + board.name() + " ...");
          err.flush();
          rows.add(measure(model, board, dir.resolve(board.name()).resolve(name), figures, hostArena));
        }
      }
      if (perLayer) {
        for (Path model : models) {
          for (Board board : targets) {
            err.println("bench: per-layer profile of " + stem(model) + " on " + board.name() + " ...");
            err.flush();
            StringWriter table = new StringWriter();
            StringWriter log = new StringWriter();
            int rc = GenFirmware.run(new String[] {"profile", "--board", board.name(), model.toString(), "--qemu",
                "--cache-dir", dir.resolve("profile-cache").toString()}, new PrintWriter(table, true),
                new PrintWriter(log, true));
            profiles.add(rc == 0 ? table.toString() : "profile: " + stem(model) + " on " + board.name()
                + " FAILED (exit " + rc + "): " + lastLine(log.toString()) + "\n");
            profilesGood &= rc == 0;
          }
        }
      }
    } finally {
      if (work == null) {
        deleteTree(dir);
      }
    }

    out.println("firmware benchmark: instructions per inference under QEMU -icount (instructions, not cycles)");
    out.println("TFLM figures: " + (figures.isPresent() ? notes.toString() : "n/a (" + notes + " is absent)")
        + (figures.map(f -> f.arenaCore().isEmpty() ? "" : "; TFLM arena (notes) is the " + f.arenaCore()
            + " figure").orElse("")));
    out.print(BenchTable.format(rows));
    for (String p : profiles) {
      out.println();
      out.print(p);
    }
    out.flush();
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, BenchTable.json(rows, figures.isPresent() ? notes.toString() : null),
          StandardCharsets.UTF_8);
      err.println("bench: wrote " + json);
    }
    return rows.stream().allMatch(BenchRow::good) && profilesGood ? 0 : TinyforgeException.EXIT_CHECK_FAILED;
  }

  /** Generates, builds and runs one model on one board; a failure becomes the row's error, not an exception. */
  private BenchRow measure(Path model, Board board, Path out, Optional<ReferenceFigures> figures, Long hostArena) {
    String name = stem(model);
    String core = ReferenceFigures.coreName(board.core());
    Long ref = figures.flatMap(f -> boxed(f.instructions(name, core, ReferenceFigures.Build.REFERENCE))).orElse(null);
    Long cmsis = figures.flatMap(f -> boxed(f.instructions(name, core, ReferenceFigures.Build.CMSIS_NN)))
        .orElse(null);
    Long notesArena = figures.flatMap(f -> boxed(f.arenaUsedBytes(name))).orElse(null);
    Long tflmFlash = figures.flatMap(f -> boxed(f.tflmFlash(name, core))).orElse(null);
    List<Integer> expected = figures.flatMap(f -> f.zeroInputOutputs(name)).orElse(null);
    StringWriter log = new StringWriter();
    Long ours = null;
    Long arena = null;
    Long flash = null;
    MemoryUsage.FlashSplit split = null;
    String unit = null;
    List<Integer> outputs = null;
    String error = null;
    try {
      PrintWriter w = new PrintWriter(log);
      int rc = GenFirmware.run(new String[] {"--board", board.name(), model.toString(), "-o", out.toString()}, w, w);
      w.flush();
      Path elf = out.resolve("firmware.elf");
      if (rc != 0 || !Files.isRegularFile(elf)) {
        error = "gen-firmware exited with " + rc + ": " + lastLine(log.toString());
      } else {
        MemoryUsage usage = MemoryUsage.of(ElfFile.read(elf), board);
        // TFLM's arena holds the variable tensors too: count our state (kept outside the arena) with the arena.
        arena = usage.arenaBytes() + PlanReport.stateBytes(TfliteReader.read(model));
        flash = usage.flashBytes();
        split = usage.flashSplit();
        FirmwareRun run = FirmwareRun.run(board, elf, RUN_LIMIT);
        ours = run.count();
        unit = run.unit();
        outputs = run.outputs();
      }
    } catch (TinyforgeException | BoardException | UncheckedIOException e) {
      error = e.getMessage();
    }
    return new BenchRow(name, board.name(), ours, unit, ref, cmsis, arena, notesArena, hostArena, flash, tflmFlash,
        outputs, expected, error, split);
  }

  private List<Board> boards(Path root) {
    BoardRegistry registry = BoardRegistry.load(root);
    List<Board> out = new ArrayList<>();
    for (String name : new LinkedHashSet<>(boards == null || boards.isEmpty() ? DEFAULT_BOARDS : boards)) {
      Board b;
      try {
        b = registry.get(name.strip());
      } catch (BoardException e) {
        throw new TinyforgeException(e.getMessage());
      }
      if (!b.isQemu()) {
        throw new TinyforgeException("board " + b.name() + " is not a QEMU board; the benchmark runs on: "
            + registry.all().stream().filter(Board::isQemu).map(Board::name).toList());
      }
      out.add(b);
    }
    return out;
  }

  /** The benchmark's models found in {@code modelsDir}, narrowed by --model. */
  private List<Path> models(Path modelsDir, Optional<ReferenceFigures> figures) {
    List<String> known = new ArrayList<>(
        figures.map(ReferenceFigures::models).filter(l -> !l.isEmpty()).orElse(FALLBACK_MODELS));
    EXTRA_MODELS.stream().filter(m -> !known.contains(m)).forEach(known::add);
    List<Path> available = known.stream().map(m -> modelsDir.resolve(m + ".tflite")).filter(Files::isRegularFile)
        .toList();
    if (modelNames == null || modelNames.isEmpty()) {
      if (available.isEmpty()) {
        throw new TinyforgeException("none of the benchmark's models " + known + " is in " + modelsDir
            + "; pass --shared DIR or --model path/to/model.tflite");
      }
      return available;
    }
    Set<Path> chosen = new LinkedHashSet<>();
    for (String wanted : modelNames) {
      String w = wanted.strip();
      if (w.endsWith(".tflite")) {
        Path p = Path.of(w);
        if (!Files.isRegularFile(p)) {
          throw new TinyforgeException("model " + w + " does not exist");
        }
        chosen.add(p.toAbsolutePath().normalize());
        continue;
      }
      String key = ReferenceFigures.normalise(w);
      List<Path> hits = available.stream().filter(p -> stem(p).toLowerCase(Locale.ROOT).contains(key)).toList();
      if (hits.isEmpty() || key.isEmpty()) {
        throw new TinyforgeException("no benchmark model matches '" + w + "'; available: "
            + available.stream().map(BenchFirmware::stem).toList());
      }
      chosen.addAll(hits);
    }
    return List.copyOf(chosen);
  }

  static String stem(Path model) {
    String f = model.getFileName().toString();
    return f.endsWith(".tflite") ? f.substring(0, f.length() - ".tflite".length()) : f;
  }

  private static Optional<Long> boxed(OptionalLong v) {
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }

  private static String lastLine(String text) {
    String t = text.strip();
    int nl = t.lastIndexOf('\n');
    return t.isEmpty() ? "(no output)" : nl < 0 ? t : t.substring(nl + 1);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
