package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.detect.Anchors;
import io.tinyforge.detect.BoxPainter;
import io.tinyforge.detect.Detection;
import io.tinyforge.detect.Letterbox;
import io.tinyforge.detect.Nms;
import io.tinyforge.detect.TargetInference;
import io.tinyforge.detect.YoloDecoder;
import io.tinyforge.detect.YoloLayout;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.model.Model;
import io.tinyforge.serial.SessionOptions;
import io.tinyforge.sim.Simulator;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.verify.Divergence;
import io.tinyforge.verify.SimulatorReference;
import io.tinyforge.verify.Verification;
import io.tinyforge.verify.VerifyCache;
import io.tinyforge.verify.VerifyFirmware;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware detect --board B yolo.tflite --image photo.jpg --anchors anchors.txt}: the object detection
 * demo. The image is letterboxed into the model input and quantized on the host, the model runs on the target
 * through the verification firmware (SET_INPUT, INVOKE, GET_OUTPUT) and in the simulator, the two outputs must be
 * equal byte for byte, and the YOLO heads are decoded, filtered with per-class NMS and mapped back to the image.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Run a YOLO detector on an image on the board (QEMU or a real board on a serial port), check its "
        + "output bytes equal the simulator's, and print the boxes (class, score, x0,y0,x1,y1 in image pixels).",
        "The image is letterboxed (darknet style: aspect kept, grey 127 borders) unless --fit stretch.",
        "Exit 0 ok; 1 the target's output differs from the simulator's; 2 bad input; 3 environment."})
final class DetectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The int8 YOLO .tflite model (outputs: 1xHxWx(A*(5+classes)) heads).")
  Path model;

  @Option(names = "--board", description = "Target board (see: gen-firmware boards); not needed with --sim-only.")
  String board;

  @Option(names = "--image", required = true, paramLabel = "FILE", description = "JPEG, PNG, BMP or GIF image.")
  Path image;

  @Option(names = "--anchors", required = true, paramLabel = "FILE",
      description = "Darknet anchors: w,h pairs in input pixels; the finest grid takes the first anchors.")
  Path anchors;

  @Option(names = "--classes", split = ",", paramLabel = "NAME[,NAME...]",
      description = "Class names in model order (default: class0, class1, ...).")
  List<String> classes;

  @Option(names = "--threshold", paramLabel = "P", description = "Minimum score, objectness x class (default 0.5).")
  float threshold = 0.5f;

  @Option(names = "--nms", paramLabel = "IOU", description = "Per-class NMS: drop a box overlapping a better one by "
      + "more than this IoU (default 0.45).")
  float nms = 0.45f;

  @Option(names = "--fit", paramLabel = "letterbox|stretch",
      description = "How the image fills the input: letterbox (default) or stretch (plain resize).")
  String fit = "letterbox";

  @Option(names = "--out", paramLabel = "PNG", description = "Write the image with the boxes drawn.")
  Path out;

  @Option(names = "--port", paramLabel = "DEV",
      description = "Serial port of a real board running this model's verification firmware (see --flash).")
  String port;

  @Option(names = "--flash", description = "With --port: build and flash the verification firmware first.")
  boolean flash;

  @Option(names = "--baud", description = "Baud rate of --port (default: the board's).")
  Integer baud;

  @Option(names = "--sim-only", description = "Run only the simulator (no board, no check).")
  boolean simOnly;

  @Option(names = "--save-tensors", paramLabel = "DIR",
      description = "Write the raw input tensor (input_0.bin) and the outputs used (output_<i>.bin) there.")
  Path saveTensors;

  @Option(names = "--ram-limit", paramLabel = "BYTES", description = "Fit the arena in BYTES (over it the leading "
      + "ops run as a patch stage); exit 2 naming the smallest reachable peak when nothing fits. Default: the "
      + "board's arena memory.")
  long ramLimit;

  @Option(names = "--input-memory", paramLabel = "MEMORY", description = "Keep the model inputs in MEMORY (a memory "
      + "of the board with an input_section: psram on qemu-mps2-an500 and teensy41, sdram on imxrt1060-evk), outside "
      + "the arena: a camera frame in external RAM. --ram-limit then bounds every other activation.")
  String inputMemory;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest one inference may take (default 300).")
  int timeoutSeconds = 300;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where firmware builds are kept for reuse (default: build/verify-cache in the checkout).")
  Path cacheDir;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    System.setProperty("java.awt.headless", "true");
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(threshold >= 0 && threshold < 1)) {
      throw new TinyforgeException("--threshold must be in [0, 1), got " + threshold);
    }
    if (!(nms > 0 && nms <= 1)) {
      throw new TinyforgeException("--nms must be in (0, 1], got " + nms);
    }
    if (!fit.equals("letterbox") && !fit.equals("stretch")) {
      throw new TinyforgeException("--fit must be letterbox or stretch, got " + fit);
    }
    if (flash && port == null) {
      throw new TinyforgeException("--flash needs --port DEV: the serial port the board answers on after flashing");
    }
    if (simOnly && (port != null || flash)) {
      throw new TinyforgeException("--sim-only runs no board; drop --port/--flash");
    }
    if (!simOnly && board == null) {
      throw new TinyforgeException("detect needs --board B (or --sim-only)");
    }
    Model m = TfliteReader.read(model);
    LoweredModel lowered = ModelValidator.validate(m);
    YoloLayout layout = YoloLayout.of(m, Anchors.read(anchors));
    List<String> names = classNames(layout.classes());
    BufferedImage img = readImage(image);
    Letterbox box = fit.equals("stretch")
        ? Letterbox.stretch(img.getWidth(), img.getHeight(), layout.inputW(), layout.inputH())
        : Letterbox.letterbox(img.getWidth(), img.getHeight(), layout.inputW(), layout.inputH());
    byte[] input = Letterbox.quantize(box.rgb(img), layout.inputScale(), layout.inputZeroPoint());

    Path root = simOnly ? null : RepoRoot.find();
    Board b = null;
    if (!simOnly) {
      VerifyCommand.checkProtocol(root);
      b = VerifyCommand.loadBoard(root, board);
      if (port == null && !b.isQemu() && !b.isHost()) {
        throw new TinyforgeException("board " + b.name() + " is a real board: pass --port DEV (with --flash to flash "
            + "the verification firmware first), or pick a qemu-* board");
      }
      if (flash && (b.isQemu() || b.isHost() || b.flash().isEmpty())) {
        throw new TinyforgeException("--flash needs a real board with a flash method; " + b.name() + " has none");
      }
    }

    Simulator sim = Simulator.of(lowered);
    long t0 = System.nanoTime();
    byte[][] simOut = sim.run(new byte[][] {input});
    err.printf(Locale.ROOT, "detect: simulator ran the model in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    err.flush();

    byte[][] used = simOut;
    TargetInference onTarget = null;
    String where = "simulator only";
    List<String> mismatches = new ArrayList<>();
    if (!simOnly) {
      Verification v = new Verification(root, b, m, VerifyFirmware.fileDigest(model).substring(0, 16),
          VerifyCommand.generator(model, ramLimit, java.util.Map.of(), inputMemory), new SimulatorReference(sim),
          cacheDir != null ? VerifyCache.claim(cacheDir, "--cache-dir") : VerifyCache.defaultIn(root), Map.of(),
          SessionOptions.DEFAULT.withInvokeTimeout(Duration.ofSeconds(VerifyCommand.positiveTimeout(timeoutSeconds))), false)
          .logPrefix("detect");
      String[] desc = new String[1];
      Verification.TargetWork<TargetInference> work = t -> {
        desc[0] = t.connection().description();
        return TargetInference.run(m, new SimulatorReference(sim), t, input, err);
      };
      int rate = baud != null ? baud : b.uart().baud() > 0 ? b.uart().baud() : 115200;
      try {
        onTarget = flash ? v.onFlashedPort(port, rate, Duration.ofSeconds(300), err, work)
            : port != null ? v.onPort(port, rate, work) : v.onBuiltTarget(err, work);
      } catch (BoardException e) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, e.getMessage());
      }
      where = b.name() + " (" + desc[0] + ")";
      used = onTarget.outputs();
      for (int o = 0; o < simOut.length; o++) {
        Divergence d = Divergence.of(m.output(o), simOut[o], used[o]);
        if (d != null) {
          mismatches.add("output " + o + " " + m.output(o).label() + " " + d.describe());
        }
      }
    }
    if (saveTensors != null) {
      save(input, used);
    }

    List<Detection> found = Nms.apply(YoloDecoder.decode(layout.heads(), used, layout.inputW(), layout.inputH(),
        threshold), nms);
    List<Detection> inImage = found.stream().map(box::toImage).toList();

    stdout.printf(Locale.ROOT, "detect: %s on %s%n", model.getFileName(), where);
    stdout.printf(Locale.ROOT, "image: %s %dx%d, %s%n", image.getFileName(), img.getWidth(), img.getHeight(),
        fit.equals("stretch") ? "resized to " + box.netW() + "x" + box.netH()
            : String.format(Locale.ROOT, "letterboxed to %dx%d at (%d,%d) in %dx%d, grey %d borders", box.newW(),
                box.newH(), box.padX(), box.padY(), box.netW(), box.netH(), Letterbox.PAD));
    int totalBytes = 0;
    for (byte[] o : simOut) {
      totalBytes += o.length;
    }
    if (onTarget != null) {
      if (mismatches.isEmpty()) {
        stdout.printf(Locale.ROOT, "target output == simulator output: %d outputs, %,d bytes, bit-exact%n",
            simOut.length, totalBytes);
      } else {
        stdout.println("MISMATCH: the target's output differs from the simulator's (the boxes below are the "
            + "target's)");
        mismatches.forEach(line -> stdout.println("  " + line));
      }
      String note = b.isQemu() ? " (QEMU counts instructions, not cycles)" : "";
      stdout.printf(Locale.ROOT, "%s per inference: %,d%s%n", onTarget.unit(), onTarget.count(), note);
    }
    for (Detection d : inImage) {
      stdout.printf(Locale.ROOT, "%s %.3f x0=%d y0=%d x1=%d y1=%d%n", names.get(d.classId()), d.score(),
          Math.round(d.x0()), Math.round(d.y0()), Math.round(d.x1()), Math.round(d.y1()));
    }
    stdout.printf(Locale.ROOT, "%d detection%s (score > %.2f, per-class NMS at IoU %.2f)%n", inImage.size(),
        inImage.size() == 1 ? "" : "s", threshold, nms);
    if (out != null) {
      BoxPainter.writePng(BoxPainter.paint(img, inImage, names), out);
      stdout.println("boxes drawn: " + out);
    }
    stdout.flush();
    return mismatches.isEmpty() ? 0 : TinyforgeException.EXIT_CHECK_FAILED;
  }

  private List<String> classNames(int count) {
    if (classes == null || classes.isEmpty()) {
      List<String> n = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        n.add("class" + i);
      }
      return n;
    }
    List<String> n = classes.stream().map(String::strip).toList();
    if (n.size() != count) {
      throw new TinyforgeException("--classes names " + n.size() + " class(es) but the model's heads have " + count);
    }
    return n;
  }

  private static BufferedImage readImage(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new TinyforgeException("image " + p + " not found");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(p.toFile());
    } catch (IOException | RuntimeException e) {
      throw new TinyforgeException("cannot decode image " + p + " (" + e.getMessage() + ")");
    }
    if (img == null) {
      throw new TinyforgeException("image " + p + " is not in a format Java reads (JPEG, PNG, BMP, GIF)");
    }
    return img;
  }

  private void save(byte[] input, byte[][] outputs) {
    try {
      Files.createDirectories(saveTensors);
      Files.write(saveTensors.resolve("input_0.bin"), input);
      for (int o = 0; o < outputs.length; o++) {
        Files.write(saveTensors.resolve("output_" + o + ".bin"), outputs[o]);
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write --save-tensors " + saveTensors
          + " (" + e.getMessage() + ")");
    }
  }
}
