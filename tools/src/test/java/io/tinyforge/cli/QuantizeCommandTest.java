package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen-firmware quantize} in-process on the committed float examples (tools/models/make_float_digits.py):
 * accuracy against TensorFlow's converter, the report, and every bad input refused with one line and exit 2.
 */
class QuantizeCommandTest {
  /**
   * Held-out top-1 of TensorFlow 2.21's converter (full-integer int8 from the same 200 calibration images), run by
   * TFLM, as make_float_digits.py printed it: digits_float 98.61%, digits_mlp_float 97.78%.
   */
  static final double CONVERTER_LENET = 98.61;
  static final double CONVERTER_MLP = 97.78;

  @TempDir
  Path tmp;

  static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  static Path example(String file) {
    Path p = root().resolve("examples").resolve(file);
    assertTrue(Files.isRegularFile(p), "committed example missing: " + p);
    return p;
  }

  private static double int8Top1(CliRun r) {
    Matcher m = Pattern.compile("float ([0-9.]+)%, int8 ([0-9.]+)%").matcher(r.out());
    assertTrue(m.find(), r.out());
    return Double.parseDouble(m.group(2));
  }

  private CliRun quantize(String model, String... extra) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("quantize",
        example(model).toString(), "--calibration", example("digits_calibration.npy").toString(), "-o",
        tmp.resolve(model.replace(".tflite", "_int8.tflite")).toString(), "--report", "--test-x",
        example("digits_test_x.npy").toString(), "--test-y", example("digits_test_y.npy").toString()));
    args.addAll(java.util.List.of(extra));
    return CliRun.of(args);
  }

  @Test
  void lenetWithinHalfAPointOfTheConverter() {
    CliRun r = quantize("digits_float.tflite");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("compiles: yes"), r.out());
    assertTrue(r.out().contains("<- worst"), "worst layers flagged:\n" + r.out());
    double top1 = int8Top1(r);
    assertTrue(top1 >= CONVERTER_LENET - 0.5, "int8 top-1 " + top1 + "% vs converter " + CONVERTER_LENET + "%");
    CliRun inspect = CliRun.of("inspect", tmp.resolve("digits_float_int8.tflite").toString());
    assertEquals(0, inspect.code(), inspect.err());
  }

  @Test
  void tanhMlpWithinHalfAPointOfTheConverter() {
    CliRun r = quantize("digits_mlp_float.tflite");
    assertEquals(0, r.code(), r.err());
    double top1 = int8Top1(r);
    assertTrue(top1 >= CONVERTER_MLP - 0.5, "int8 top-1 " + top1 + "% vs converter " + CONVERTER_MLP + "%");
  }

  @Test
  void klAndPercentileBeatMinmaxWithOutliersInTheCalibration() {
    double[] top1 = new double[3];
    String[] methods = {"minmax", "kl", "percentile=99.9"};
    for (int i = 0; i < methods.length; i++) {
      CliRun r = CliRun.of("quantize", example("digits_float.tflite").toString(), "--calibration",
          example("digits_outlier_calibration.npy").toString(), "-o", tmp.resolve("o" + i + ".tflite").toString(),
          "--method", methods[i], "--report", "--test-x", example("digits_test_x.npy").toString(), "--test-y",
          example("digits_test_y.npy").toString());
      assertEquals(0, r.code(), r.err());
      top1[i] = int8Top1(r);
    }
    assertTrue(top1[1] > top1[0] + 1 && top1[2] > top1[0] + 1,
        "minmax " + top1[0] + "%, kl " + top1[1] + "%, percentile " + top1[2] + "%");
  }

  @Test
  void folderOfBinAndNpySamples() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("cal"));
    for (int i = 0; i < 5; i++) {
      Files.write(dir.resolve("s" + i + ".bin"), floats(64, i / 5f));
    }
    Files.write(dir.resolve("s5.npy"), Npy.write(TensorType.FLOAT32, new int[] {8, 8, 1}, floats(64, 1f)));
    Files.writeString(dir.resolve("README.txt"), "ignored: neither .npy nor .bin");
    CliRun r = quantizeWith(example("digits_mlp_float.tflite"), dir);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("6 calibration samples"), r.out());
    Files.write(dir.resolve("s6.bin"), floats(63, 0f));
    assertRefused(quantizeWith(example("digits_mlp_float.tflite"), dir), "252 bytes");
  }

  @Test
  void twoInputModelTakesOneSubfolderPerInput() throws IOException {
    Path model = tmp.resolve("many_ops.tflite");
    Files.write(model, io.tinyforge.quantize.FloatTestGraphs.manyOps(7));
    java.util.List<float[][]> samples = io.tinyforge.quantize.FloatTestGraphs.samples(1, 40);
    for (int i = 0; i < 2; i++) {
      Path dir = Files.createDirectories(tmp.resolve("cal/" + i));
      for (int s = 0; s < samples.size(); s++) {
        ByteBuffer b = ByteBuffer.allocate(4 * 108).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : samples.get(s)[i]) {
          b.putFloat(v);
        }
        Files.write(dir.resolve(String.format("s%03d.bin", s)), b.array());
      }
    }
    CliRun r = CliRun.of("quantize", model.toString(), "--calibration", tmp.resolve("cal").toString(), "-o",
        tmp.resolve("many_ops_int8.tflite").toString(), "--report");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("40 calibration samples"), r.out());
    for (String op : new String[] {"PRELU", "TRANSPOSE_CONV", "HARD_SWISH", "RESIZE_NEAREST_NEIGHBOR"}) {
      assertTrue(r.out().contains(op), op + " in the report:\n" + r.out());
    }
    Matcher m = Pattern.compile("(-?[0-9.]+|Infinity)(  <- worst)?\\n").matcher(r.out());
    int rows = 0;
    while (m.find()) {
      double sqnr = Double.parseDouble(m.group(1));
      assertTrue(sqnr > 20, "every tensor above 20 dB on its own calibration set:\n" + r.out());
      rows++;
    }
    assertEquals(26, rows, "one row per float activation (inputs and op outputs):\n" + r.out());
    Files.delete(tmp.resolve("cal/1/s039.bin"));
    assertRefused(CliRun.of("quantize", model.toString(), "--calibration", tmp.resolve("cal").toString(), "-o",
        tmp.resolve("x.tflite").toString()), "input 0 has 40 samples but input 1 has 39");
  }

  // ------------------------------------------------------------------ bad input: one line, exit 2

  private static void assertRefused(CliRun r, String expected) {
    assertEquals(2, r.code(), r.out() + r.err());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), "one line:\n" + err);
    assertFalse(err.contains("Exception"), err);
    assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
  }

  private CliRun quantizeWith(Path model, Path cal) {
    return CliRun.of("quantize", model.toString(), "--calibration", cal.toString(), "-o",
        tmp.resolve("out.tflite").toString());
  }

  private Path npy(String name, TensorType type, int[] shape, byte[] data) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, Npy.write(type, shape, data));
    return p;
  }

  private static byte[] floats(int n, float value) {
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat(value);
    }
    return b.array();
  }

  @Test
  void alreadyInt8ModelIsRefused() {
    assertRefused(quantizeWith(example("digits_int8.tflite"), example("digits_calibration.npy")),
        "already quantized");
  }

  @Test
  void wrongShapeIsRefused() throws IOException {
    assertRefused(quantizeWith(example("digits_float.tflite"),
        npy("shape.npy", TensorType.FLOAT32, new int[] {3, 8, 7, 1}, floats(3 * 56, 0.5f))), "expected [N, 8x8x1]");
  }

  @Test
  void wrongDtypeIsRefused() throws IOException {
    assertRefused(quantizeWith(example("digits_float.tflite"),
        npy("dtype.npy", TensorType.INT32, new int[] {2, 8, 8, 1}, new byte[2 * 64 * 4])), "must be float32");
  }

  @Test
  void nanAndInfAreRefused() throws IOException {
    byte[] data = floats(2 * 64, 0.25f);
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 70, Float.NaN);
    assertRefused(quantizeWith(example("digits_float.tflite"),
        npy("nan.npy", TensorType.FLOAT32, new int[] {2, 8, 8, 1}, data)), "sample 1 input 0 value 6 is NaN");
    byte[] inf = floats(64, Float.POSITIVE_INFINITY);
    assertRefused(quantizeWith(example("digits_float.tflite"),
        npy("inf.npy", TensorType.FLOAT32, new int[] {1, 8, 8, 1}, inf)), "is Infinity");
  }

  @Test
  void emptySetIsRefused() throws IOException {
    assertRefused(quantizeWith(example("digits_float.tflite"),
        npy("empty.npy", TensorType.FLOAT32, new int[] {0, 8, 8, 1}, new byte[0])), "empty");
    Path dir = Files.createDirectories(tmp.resolve("empty_dir"));
    assertRefused(quantizeWith(example("digits_float.tflite"), dir), "empty");
  }

  @Test
  void unsupportedOpIsNamed() throws IOException {
    ModelBuilder b = new ModelBuilder("exp");
    int x = b.activation("x", TensorType.FLOAT32, new Shape(1, 4), null);
    int y = b.activation("y", TensorType.FLOAT32, new Shape(1, 4), null);
    b.op(BuiltinOp.EXP, null, new int[] {x}, new int[] {y});
    Path model = tmp.resolve("exp.tflite");
    Files.write(model, b.inputs(x).outputs(y).toBytes());
    assertRefused(quantizeWith(model, npy("cal.npy", TensorType.FLOAT32, new int[] {1, 4}, floats(4, 1f))),
        "op 0 (EXP) is not supported by the quantizer");
  }

  @Test
  void nonConstantWeightsAreRefused() throws IOException {
    ModelBuilder b = new ModelBuilder("fc");
    int x = b.activation("x", TensorType.FLOAT32, new Shape(1, 4), null);
    int w = b.activation("w", TensorType.FLOAT32, new Shape(2, 4), null);
    int y = b.activation("y", TensorType.FLOAT32, new Shape(1, 2), null);
    b.op(BuiltinOp.FULLY_CONNECTED, new io.tinyforge.model.OpOptions.FullyConnected(
        io.tinyforge.model.Activation.NONE, 0, false), new int[] {x, w, -1}, new int[] {y});
    Path model = tmp.resolve("fc.tflite");
    Files.write(model, b.inputs(x, w).outputs(y).toBytes());
    assertRefused(quantizeWith(model, tmp), "op 0 (FULLY_CONNECTED) takes its weights from 'w'");
  }

  @Test
  void int16AndBadOptionsAreRefused() {
    assertRefused(CliRun.of("quantize", example("digits_float.tflite").toString(), "--calibration",
        example("digits_calibration.npy").toString(), "-o", tmp.resolve("a.tflite").toString(), "--int16", "auto"),
        "16-bit activations");
    assertRefused(CliRun.of("quantize", example("digits_float.tflite").toString(), "--calibration",
        example("digits_calibration.npy").toString(), "-o", tmp.resolve("a.tflite").toString(), "--method", "mse"),
        "unknown calibration method");
    assertFalse(Files.exists(tmp.resolve("a.tflite")), "nothing written on refusal");
  }

  @Test
  void outputOverTheInputOrAFolderIsRefused() throws IOException {
    Path copy = tmp.resolve("float.tflite");
    Files.copy(example("digits_mlp_float.tflite"), copy);
    assertRefused(CliRun.of("quantize", copy.toString(), "--calibration", example("digits_calibration.npy").toString(),
        "-o", copy.toString()), "is the float model itself");
    assertRefused(CliRun.of("quantize", copy.toString(), "--calibration", example("digits_calibration.npy").toString(),
        "-o", tmp.toString()), "is a folder");
  }
}
