package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.model.Model;
import io.tinyforge.protocol.ProtocolDefinition;
import io.tinyforge.serial.SessionOptions;
import io.tinyforge.serial.TargetException;
import io.tinyforge.serial.protocol.Protocol;
import io.tinyforge.sim.Simulator;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.verify.GeneratedProjectSources;
import io.tinyforge.verify.InputSets;
import io.tinyforge.verify.ModelSourceGenerator;
import io.tinyforge.verify.SimulatorReference;
import io.tinyforge.verify.Verification;
import io.tinyforge.verify.VerifyCache;
import io.tinyforge.verify.VerifyFirmware;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware verify --board B model.tflite [--port DEV | --qemu] [--inputs DIR | --random N --seed S]
 * [--per-layer]}: runs the generated firmware on a target and checks every output against mcu-sim bit for bit.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Build the model's firmware with the verification app, run it on the board (QEMU or a real board "
        + "on a serial port) and compare every output with the bit-exact simulator.",
        "Exit 0 only when every output matched; 1 on a mismatch, 2 bad input, 3 environment."})
final class VerifyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The int8 .tflite model.")
  Path model;

  @Option(names = "--board", required = true, description = "Target board (see: gen-firmware boards).")
  String board;

  @Option(names = "--ram-limit", paramLabel = "BYTES", description = "Fit the arena in BYTES (over it the leading "
      + "ops run as a patch stage); exit 2 naming the smallest reachable peak when nothing fits. Default: the "
      + "board's arena memory.")
  long ramLimit;

  @Option(names = "--region-limit", paramLabel = "MEMORY=BYTES", description = "At most BYTES of arena in that "
      + "memory of the board's arena_memories (repeatable): forces a plan that spans memories.")
  java.util.Map<String, Long> regionLimits;

  @Option(names = "--input-memory", paramLabel = "MEMORY", description = "Keep the model inputs in MEMORY (a memory "
      + "of the board with an input_section: psram on qemu-mps2-an500 and teensy41, sdram on imxrt1060-evk), outside "
      + "the arena: a camera frame in external RAM. --ram-limit then bounds every other activation.")
  String inputMemory;


  static final class Where {
    @Option(names = "--port", paramLabel = "DEV",
        description = "Serial port of a real board that already runs this model's verification firmware.")
    String port;

    @Option(names = "--qemu", description = "Run the board in QEMU (the default for QEMU boards).")
    boolean qemu;
  }

  @ArgGroup(exclusive = true)
  Where where = new Where();

  static final class Inputs {
    @Option(names = "--inputs", paramLabel = "DIR",
        description = "Folder of raw input files: one .bin per set (several inputs: one sub-folder per set with "
            + "input_0.bin, input_1.bin, ...).")
    Path dir;

    @ArgGroup(exclusive = false)
    RandomInputs random;
  }

  static final class RandomInputs {
    @Option(names = "--random", paramLabel = "N",
        description = "Verify N random input sets, generated on the target from seeds S..S+N-1 (default 10).")
    int count = 10;

    @Option(names = "--seed", paramLabel = "S", description = "First seed (default 1).")
    int seed = 1;
  }

  @ArgGroup(exclusive = true)
  Inputs inputs = new Inputs();

  @Option(names = "--per-layer", description = "Compare every operator's output on every input, not only on a "
      + "mismatch.")
  boolean perLayer;

  @Option(names = "--flash", description = "With --port: build the verification firmware, flash it with the board's "
      + "flash method (board.json, e.g. pyocd) and then verify.")
  boolean flash;

  @Option(names = "--build-only", description = "Only build (or reuse) the verification firmware and print its path "
      + "and the command that flashes it; nothing runs.")
  boolean buildOnly;

  @Mixin
  LinkOptions link = new LinkOptions();

  @Option(names = "--test-perturb-op", hidden = true, paramLabel = "OP",
      description = "TEST ONLY: build with TFK_TEST_PERTURB_OP=OP, which flips bit 6 of every output byte of that operator.")
  Integer perturbOp;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Path root = RepoRoot.find();
    checkProtocol(root);
    Board b = loadBoard(root, board);
    Model m = TfliteReader.read(model);
    Simulator sim = Simulator.of(ModelValidator.validate(m));
    InputSets sets = inputs.dir != null ? InputSets.read(inputs.dir, m)
        : inputs.random != null ? new InputSets.Random(positive(inputs.random.count), inputs.random.seed)
            : new InputSets.Random(10, 1);
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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Verification v = new Verification(root, b, m, VerifyFirmware.fileDigest(model).substring(0, 16),
        generator(model, ramLimit, Generate.checkRegionLimits(regionLimits), inputMemory),
        new SimulatorReference(sim), link.cache(root),
        perturbOp == null ? Map.of() : Map.of("TFK_TEST_PERTURB_OP", Integer.toString(perturbOp)),
        SessionOptions.DEFAULT.withInvokeTimeout(link.invokeTimeout()), perLayer);
    try {
      if (buildOnly) {
        VerifyFirmware.Built fw = v.buildOnly(err);
        out.println("verification firmware: " + fw.image());
        if (!b.isQemu() && !b.isHost() && b.flash().isPresent()) {
          io.tinyforge.board.FlashMethod fm = new io.tinyforge.board.FlashMethod(b);
          out.println("flash it with: " + String.join(" ", fm.command(fm.prepareImage(fw.image()))));
        }
        fw.memory().ifPresent(mu -> out.printf(java.util.Locale.ROOT, "flash %d bytes, RAM %d bytes%n",
            mu.flashBytes(), mu.ramBytes()));
        return 0;
      }
      try {
        if (flash) {
          return v.flashAndRunOnPort(where.port, link.baudFor(b),
              Duration.ofSeconds(300), sets, out, err);
        }
        return where.port != null
            ? v.runOnPort(where.port, link.baudFor(b), sets, out, err)
            : v.runBuilt(sets, out, err);
      } catch (TargetException e) {
        // a port that is missing or silent is most often a wiring question on boards whose console is not obvious
        throw b.uart().connection().map(c -> new TinyforgeException(e.exitCode(), e.getMessage() + " (" + b.name()
            + ": " + c + ")")).orElse(e);
      }
    } catch (BoardException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, e.getMessage());
    }
  }

  private static int positive(int n) {
    if (n < 1) {
      throw new TinyforgeException("--random needs a count of 1 or more");
    }
    return n;
  }

  /** The Java side of the protocol must come from the protocol.json the firmware is built from. */
  static void checkProtocol(Path root) {
    if (ProtocolDefinition.loadFromRepo(root).fingerprint() != Protocol.FINGERPRINT) {
      // the C side is generated at run time from protocol.json, the Java side was generated at build time
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "gen-firmware was built from another "
          + ProtocolDefinition.RELATIVE_PATH + "; rebuild it (mvn -q -B package -DskipTests)");
    }
  }

  static Board loadBoard(Path root, String name) {
    try {
      return BoardRegistry.load(root).get(name);
    } catch (BoardException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_BAD_INPUT, e.getMessage());
    }
  }

  /** The code generator, through the same entry point as {@code gen-firmware --board B model -o DIR}. */
  static ModelSourceGenerator generator(Path model) {
    return generator(model, 0);
  }

  /** {@link #generator(Path)} with the arena fitted in {@code ramLimit} bytes (0: the board's arena memory). */
  static ModelSourceGenerator generator(Path model, long ramLimit) {
    return generator(model, ramLimit, java.util.Map.of());
  }

  /** {@link #generator(Path, long)} with per-memory arena limits (--region-limit). */
  static ModelSourceGenerator generator(Path model, long ramLimit, java.util.Map<String, Long> regionLimits) {
    return generator(model, ramLimit, regionLimits, null);
  }

  /** As above, with the model inputs kept in {@code inputMemory} outside the arena (null: in it). */
  static ModelSourceGenerator generator(Path model, long ramLimit, java.util.Map<String, Long> regionLimits,
      String inputMemory) {
    return (target, outDir) -> {
      StringWriter log = new StringWriter();
      VerifyCache.dropEntryWithoutManifest(outDir);
      int rc = Generate.writeOnly(model, target.name(), outDir, ramLimit, regionLimits, inputMemory,
          new PrintWriter(log));
      if (rc != 0) {
        throw new TinyforgeException(rc, "generating " + model + " for " + target.name() + " failed: "
            + log.toString().strip());
      }
      return GeneratedProjectSources.collect(outDir);
    };
  }

  /** --timeout must be a positive number of seconds. */
  static int positiveTimeout(int seconds) {
    if (seconds <= 0) {
      throw new TinyforgeException("--timeout needs a positive number of seconds, got " + seconds);
    }
    return seconds;
  }
}
