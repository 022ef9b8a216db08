package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.model.Model;
import io.tinyforge.quantize.CalibrationMethod;
import io.tinyforge.quantize.QuantReport;
import io.tinyforge.quantize.QuantizeOptions;
import io.tinyforge.quantize.Quantizer;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.tflite.TfliteWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware quantize FLOAT.tflite --calibration CAL -o OUT.tflite}: post-training int8 quantization
 * (io.tinyforge.quantize), written as a standard .tflite that TFLM and the rest of tinyforge take.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = {"Quantize a float32 .tflite to int8: per-channel symmetric int8 weights, per-tensor asymmetric "
        + "int8 activations calibrated on CAL, int32 biases; the output is a standard .tflite.",
        "CAL: a float32 .npy of shape [N, input shape without the batch of 1], or a folder of .npy/.bin samples "
        + "(one subfolder per input index for several inputs)."})
final class QuantizeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FLOAT_MODEL", description = "The float32 .tflite model.")
  Path model;

  @Option(names = "--calibration", required = true, paramLabel = "CAL", description = "Calibration samples.")
  Path calibration;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The int8 .tflite to write.")
  Path output;

  @Option(names = "--method", defaultValue = "minmax", paramLabel = "M",
      description = "Range estimation: minmax (default), ema, kl, percentile=P (e.g. percentile=99.99).")
  String method;

  @Option(names = "--per-tensor", description = "One weight scale per tensor instead of one per output channel.")
  boolean perTensor;

  @Option(names = "--io", defaultValue = "int8", paramLabel = "int8|float",
      description = "Model input/output type: int8 (default) or float (QUANTIZE/DEQUANTIZE at the edges).")
  String io;

  @Option(names = "--int16", paramLabel = "LAYERS|auto", description = "16-bit activations (not supported yet).")
  String int16;

  @Option(names = "--report", description = "Per tensor: range, scale, zero point and SQNR of int8 vs float.")
  boolean report;

  @Option(names = "--test-x", paramLabel = "X", description = "Samples for the report (default: the calibration).")
  Path testX;

  @Option(names = "--test-y", paramLabel = "Y.npy", description = "Labels of --test-x: top-1 accuracy of both.")
  Path testY;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (int16 != null) {
      throw new TinyforgeException("--int16 " + int16 + ": 16-bit activations (16x8) are not supported yet; "
          + "quantize to int8 without --int16");
    }
    if (!io.equals("int8") && !io.equals("float")) {
      throw new TinyforgeException("--io " + io + ": use int8 or float");
    }
    if ((testX == null) != (testY == null)) {
      throw new TinyforgeException("--test-x and --test-y go together (samples and their labels)");
    }
    if (Files.exists(output) && Files.exists(model) && isSameFile(output, model)) {
      throw new TinyforgeException("-o " + output + " is the float model itself; write the int8 model to another file");
    }
    if (Files.isDirectory(output)) {
      throw new TinyforgeException("-o " + output + " is a folder; give the path of the .tflite file to write");
    }
    CalibrationMethod m = CalibrationMethod.parse(method);
    QuantizeOptions options = new QuantizeOptions(m, perTensor, io.equals("float"));
    Model fm = TfliteReader.read(model);
    Quantizer.check(fm);
    List<float[][]> samples = CalibrationFiles.load(calibration, fm, "--calibration");
    Quantizer.Result result = Quantizer.quantize(fm, samples, options);
    byte[] bytes = TfliteWriter.write(result.model());
    Model written = TfliteReader.read(bytes, output.toString());
    String verdict = ModelValidator.verdict(written);
    if (verdict != null) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the quantized model would not compile ("
          + verdict + "); nothing written");
    }
    writeAtomically(bytes);
    PrintWriter out = spec.commandLine().getOut();
    long floatBytes = size(model);
    out.printf("quantize: %s (float32, %,d bytes) -> %s (int8, %,d bytes)%n", model, floatBytes, output, bytes.length);
    out.printf("%d calibration samples, method %s, %s weights, %s I/O; compiles: yes%n", samples.size(), m.label(),
        perTensor ? "per-tensor" : "per-channel", io);
    for (String note : result.notes()) {
      out.println("note: " + note);
    }
    if (report) {
      List<float[][]> reportSamples = testX == null ? samples : CalibrationFiles.load(testX, fm, "--test-x");
      int[] labels = testY == null ? null : CalibrationFiles.labels(testY, reportSamples.size());
      printReport(out, QuantReport.measure(fm, result, options.floatIo(), reportSamples, labels),
          reportSamples.size(), testX == null ? "calibration" : "test");
    }
    out.flush();
    return 0;
  }

  static final int FLAGGED = 3;

  private static void printReport(PrintWriter out, QuantReport r, int n, String which) {
    out.printf("%nper tensor, SQNR of the int8 simulator vs the float interpreter over %d %s samples:%n", n, which);
    out.printf("%4s  %-22s %-40s %12s %12s %12s %5s %9s%n", "t", "op", "name", "min", "max", "scale", "zp",
        "SQNR dB");
    List<QuantReport.Row> worst = r.worst(FLAGGED);
    for (QuantReport.Row row : r.rows()) {
      String name = row.name().length() > 40 ? "..." + row.name().substring(row.name().length() - 37) : row.name();
      out.printf("%4d  %-22s %-40s %12.5g %12.5g %12.5g %5d %9.2f%s%n", row.tensor(), row.op(), name,
          row.range().min(), row.range().max(), row.scale(), row.zeroPoint(), row.sqnrDb(),
          worst.contains(row) ? "  <- worst" : "");
    }
    if (r.accuracy() != null) {
      out.printf("top-1 accuracy on %d test samples: float %.2f%%, int8 %.2f%%%n", r.accuracy().samples(),
          100 * r.accuracy().floatTop1(), 100 * r.accuracy().int8Top1());
    }
  }

  private static boolean isSameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private void writeAtomically(byte[] bytes) {
    Path abs = output.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), ".quantize-", ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new TinyforgeException(output + ": cannot write the quantized model (" + e.getMessage() + ")");
    }
  }
}
