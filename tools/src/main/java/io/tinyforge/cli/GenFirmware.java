package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gen-firmware}: the tinyforge command line. Without a verb it generates the firmware sources of a model for
 * a board; the verbs inspect, simulate, plan, boards, verify, detect and profile do the rest.
 */
@Command(name = "gen-firmware", mixinStandardHelpOptions = true, version = "tinyforge 0.1.0",
    description = "Turn an int8 TensorFlow Lite model into microcontroller firmware.%n"
        + "Without a verb: gen-firmware --board BOARD model.tflite [-o OUT] writes the C project for BOARD"
        + " (default OUT: build/<model>-<board>).",
    subcommands = {InspectCommand.class, SimulateCommand.class, VerifyCommand.class, DetectCommand.class,
        BoardsCommand.class, PlanCommand.class, ProfileCommand.class, CompletionCommand.class,
        QuantizeCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:the checked thing failed (e.g. a verification mismatch)",
        "2:bad input or usage (malformed or unsupported model, unknown board, bad option)",
        "3:environment problem (missing toolchain, QEMU or oracle)"})
public final class GenFirmware implements Callable<Integer> {

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors (for bug reports).")
  boolean verbose;

  @Option(names = "--board", description = "Target board (see: gen-firmware boards).")
  String board;

  @Option(names = {"-o", "--output"}, description = "Output folder of the generated project (default: "
      + "build/<model>-<board> under the current folder). tinyforge never deletes or overwrites a file it did not "
      + "write there.")
  java.nio.file.Path output;

  @Option(names = "--force", description = "Write into a folder that holds files tinyforge did not write (they are "
      + "left as they are) and overwrite generated files you edited.")
  boolean force;

  @Option(names = "--ram-limit", paramLabel = "BYTES", description = "Fit the arena in BYTES (over it the leading "
      + "ops run as a patch stage); exit 2 naming the smallest reachable peak when nothing fits. Default: the "
      + "board's arena memory.")
  long ramLimit;

  @Option(names = "--region-limit", paramLabel = "MEMORY=BYTES", description = "At most BYTES of arena in that "
      + "memory of the board's arena_memories (repeatable), e.g. --region-limit ram=65536 makes qemu-mps2-an500 "
      + "put the rest in psram. External RAM (sdram on imxrt1060-evk, psram on teensy41) holds arena buffers only "
      + "when named here.")
  java.util.Map<String, Long> regionLimits;

  @Option(names = "--input-memory", paramLabel = "MEMORY", description = "Keep the model inputs in MEMORY (a memory "
      + "of the board with an input_section: psram on qemu-mps2-an500 and teensy41, sdram on imxrt1060-evk), outside "
      + "the arena: a camera frame in external RAM. --ram-limit then bounds every other activation.")
  String inputMemory;

  @Parameters(arity = "0..1", paramLabel = "MODEL", description = "The int8 .tflite model.")
  java.nio.file.Path model;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (model == null) {
      spec.commandLine().usage(spec.commandLine().getOut());
      return TinyforgeException.EXIT_BAD_INPUT;
    }
    Typos.refuseMistypedVerb(model, spec);
    return Generate.run(model, board, output, force, ramLimit, regionLimits, inputMemory,
        spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code (tests call this directly). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    GenFirmware root = new GenFirmware();
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(Typos::handle);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean verbose = root.verbose || parseResult.hasMatchedOption("--verbose")
          || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
      if (verbose) {
        ex.printStackTrace(err);
      }
      if (ex instanceof TinyforgeException te) {
        err.println("error: " + te.getMessage());
        err.flush();
        return te.exitCode();
      }
      err.println("error: internal error " + ex + " (please report it; --verbose shows the stack trace)");
      err.flush();
      return TinyforgeException.EXIT_CHECK_FAILED;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // the validation bounds every allocation a model can cause; this is the last line of defence
      err.println("error: out of memory (Java heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB); give Java "
          + "more with JAVA_TOOL_OPTIONS=-Xmx4g or use a smaller model");
      err.flush();
      return TinyforgeException.EXIT_ENVIRONMENT;
    }
  }
}
