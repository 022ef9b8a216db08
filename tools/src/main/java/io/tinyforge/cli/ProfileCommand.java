package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.FlashMethod;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.model.Model;
import io.tinyforge.profile.ChartRenderer;
import io.tinyforge.profile.ChartScene;
import io.tinyforge.profile.CounterResolution;
import io.tinyforge.profile.OpRow;
import io.tinyforge.profile.Profile;
import io.tinyforge.profile.ProfileChart;
import io.tinyforge.profile.ProfileReport;
import io.tinyforge.profile.ProfileRun;
import io.tinyforge.profile.Profiler;
import io.tinyforge.serial.SessionOptions;
import io.tinyforge.serial.TargetException;
import io.tinyforge.sim.Simulator;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.verify.InputSets;
import io.tinyforge.verify.Reference;
import io.tinyforge.verify.SimulatorReference;
import io.tinyforge.verify.Verification;
import io.tinyforge.verify.VerifyFirmware;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware profile --board B model.tflite [--qemu | --port DEV [--flash]] [--runs N --seed S | --inputs
 * DIR]}: time per operator on the target. The verification firmware is built with per-op counters (TF_PROFILE_OPS),
 * every run is checked bit for bit against the simulator, and the same inputs run on a build without hooks to report
 * the overhead.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = {"Run the model on the board (QEMU or a real board on a serial port) and print per operator: op, "
        + "shapes, MACs, instructions (QEMU) or cycles (DWT), count per MAC and share of the whole inference.",
        "The per-op counts are differences of consecutive readings of one counter, so they add up to the whole "
            + "inference except the return from model_invoke, which is printed; the counter's step is printed too.",
        "Every run's outputs are checked against the simulator; the overhead of the hooks is measured against a "
            + "build without them on the same inputs.",
        "Exit 0 ok; 1 an output differs from the simulator's; 2 bad input; 3 environment."})
final class ProfileCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The int8 .tflite model.")
  Path model;

  @Option(names = "--board", required = true, description = "Target board (see: gen-firmware boards).")
  String board;

  static final class Where {
    @Option(names = "--port", paramLabel = "DEV",
        description = "Serial port of a real board that runs this model's profiling firmware (see --flash).")
    String port;

    @Option(names = "--qemu", description = "Run the board in QEMU (the default for QEMU boards).")
    boolean qemu;
  }

  @ArgGroup(exclusive = true)
  Where where = new Where();

  @Option(names = "--flash", description = "With --port: build and flash the firmware (the build without hooks "
      + "first, for the overhead, then the profiling build, which stays on the board).")
  boolean flash;

  static final class RandomInputs {
    @Option(names = "--runs", paramLabel = "N", description = "Profile N random inputs, generated on the target "
        + "from seeds S..S+N-1 (default 1); the table shows the run with the median whole count.")
    int runs = 1;

    @Option(names = "--seed", paramLabel = "S", description = "First seed (default 1).")
    int seed = 1;
  }

  static final class Inputs {
    @Option(names = "--inputs", paramLabel = "DIR", description = "Profile these inputs instead: one .bin per set "
        + "(several inputs: one sub-folder per set with input_0.bin, input_1.bin, ...), as verify reads them.")
    Path dir;

    @ArgGroup(exclusive = false)
    RandomInputs random;
  }

  @ArgGroup(exclusive = true)
  Inputs inputs = new Inputs();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the profile as JSON.")
  Path json;

  @Option(names = "--svg", paramLabel = "FILE", description = "Also write a bar chart: one bar per operator, "
      + "coloured by op type.")
  Path svg;

  @Option(names = "--png", paramLabel = "FILE", description = "Also write the bar chart as a PNG.")
  Path png;

  @Option(names = "--no-overhead", description = "Do not run the build without hooks (no overhead figure).")
  boolean noOverhead;

  @Option(names = "--build-only", description = "Only build (or reuse) the profiling firmware and print its path "
      + "and the command that flashes it; nothing runs.")
  boolean buildOnly;

  @Mixin
  LinkOptions link = new LinkOptions();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** What one target session found: the link's description and the runs. */
  private record Session<T>(String target, T result) {}

  @Override
  public Integer call() {
    if (inputs.random != null && inputs.random.runs < 1) {
      throw new TinyforgeException("--runs needs a count of 1 or more");
    }
    Path root = RepoRoot.find();
    VerifyCommand.checkProtocol(root);
    Board b = VerifyCommand.loadBoard(root, board);
    if (flash && where.port == null) {
      throw new TinyforgeException("--flash needs --port DEV: the serial port the board answers on after flashing");
    }
    if (flash && (b.isQemu() || b.isHost() || b.flash().isEmpty())) {
      throw new TinyforgeException("--flash needs a real board with a flash method; " + b.name() + " has none");
    }
    if (where.port == null && !buildOnly && !b.isQemu() && !b.isHost()) {
      throw new TinyforgeException("board " + b.name() + " is a real board: pass --port DEV --flash (or flash the "
          + "image of --build-only yourself and pass --port DEV), or pick a qemu-* board");
    }
    if (where.qemu && !b.isQemu()) {
      throw new TinyforgeException("--qemu needs a QEMU board; " + b.name() + " is not one");
    }
    Model m = TfliteReader.read(model);
    LoweredModel lowered = ModelValidator.validate(m);
    InputSets sets = inputs.dir != null ? InputSets.read(inputs.dir, m)
        : inputs.random != null ? new InputSets.Random(inputs.random.runs, inputs.random.seed)
            : new InputSets.Random(1, 1);
    Reference ref = new SimulatorReference(Simulator.of(lowered));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path cache = link.cache(root);
    String key = VerifyFirmware.fileDigest(model).substring(0, 16);
    SessionOptions options = SessionOptions.DEFAULT.withInvokeTimeout(link.invokeTimeout());
    Verification profiling = new Verification(root, b, m, key, VerifyCommand.generator(model), ref, cache,
        Map.of(Profiler.PROFILE_DEFINE, "1"), options, false).logPrefix("profile");
    Verification plain = new Verification(root, b, m, key, VerifyCommand.generator(model), ref, cache, Map.of(),
        options, false).logPrefix("profile").opHook(false);
    Profiler profiler = new Profiler(m, ref, err);
    int portBaud = link.baudFor(b);
    try {
      if (buildOnly) {
        VerifyFirmware.Built fw = profiling.buildOnly(err);
        out.println("profiling firmware: " + fw.image());
        if (!b.isQemu() && !b.isHost() && b.flash().isPresent()) {
          FlashMethod fm = new FlashMethod(b);
          out.println("flash it with: " + String.join(" ", fm.command(fm.prepareImage(fw.image()))));
        }
        return 0;
      }
      Optional<List<Long>> baseline = Optional.empty();
      String note = null;
      Session<List<ProfileRun>> s;
      try {
        if (where.port == null) {
          if (!noOverhead) {
            baseline = Optional.of(plain.onBuiltTarget(err, t -> profiler.baseline(t, sets)));
          }
          s = profiling.onBuiltTarget(err, t -> new Session<>(t.connection().description(),
              profiler.profile(t, sets)));
        } else if (flash) {
          if (!noOverhead) {
            baseline = Optional.of(plain.onFlashedPort(where.port, portBaud, Duration.ofSeconds(300), err,
                t -> profiler.baseline(t, sets)));
          }
          s = profiling.onFlashedPort(where.port, portBaud, Duration.ofSeconds(300), err,
              t -> new Session<>(t.connection().description(), profiler.profile(t, sets)));
        } else {
          note = "--port without --flash runs only the firmware on the board; add --flash to measure it";
          s = profiling.onPort(where.port, portBaud, t -> new Session<>(t.connection().description(),
              profiler.profile(t, sets)));
        }
      } catch (TargetException e) {
        // as verify: a port that is missing or silent is most often a question of which port the console is on
        throw b.uart().connection().map(c -> new TinyforgeException(e.exitCode(), e.getMessage() + " (" + b.name()
            + ": " + c + ")")).orElse(e);
      }
      if (noOverhead) {
        note = "--no-overhead";
      }
      Profile p = new Profile(model.getFileName().toString(), b.name(), s.target(), b.counter().unit(),
          CounterResolution.of(b), OpRow.of(m), s.result(), baseline.orElse(List.of()),
          Optional.ofNullable(note));
      out.print(ProfileReport.table(p));
      out.flush();
      if (json != null) {
        write(json, ProfileReport.json(p).getBytes(StandardCharsets.UTF_8), err);
      }
      if (svg != null || png != null) {
        ChartScene scene = ProfileChart.layout(p);
        if (svg != null) {
          write(svg, ChartRenderer.svg(scene).getBytes(StandardCharsets.UTF_8), err);
        }
        if (png != null) {
          write(png, ChartRenderer.png(scene), err);
        }
      }
      return 0;
    } catch (BoardException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, e.getMessage());
    }
  }

  /** Whole file or nothing: written beside the target, then moved over it. */
  private static void write(Path file, byte[] bytes, PrintWriter err) {
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      // a plain new file (not createTempFile, which is private to its owner) so the result gets the usual mode
      Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + file + " ("
          + e.getMessage() + "); pick a writable path");
    }
    err.println(String.format(Locale.ROOT, "profile: wrote %s (%,d bytes)", file, bytes.length));
    err.flush();
  }
}
