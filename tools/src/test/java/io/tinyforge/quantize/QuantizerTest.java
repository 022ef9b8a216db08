package io.tinyforge.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quantizer's decisions on a graph small enough to work out by hand (TFLite's quantization spec: asymmetric
 * activations with 0 exact, symmetric weights in [-127, 127], bias at s_in * s_w):
 * x[1,2] -> FC(w1, b1) -> a; x -> FC(identity) -> c; CONCAT(a, c) -> d; TANH -> e; SOFTMAX -> s.
 * Calibration x = (1, 0), (0, 1), (-1, 2) gives a0 = 0.5 x0 - 1.27 x1 + 0.3 in {0.8, -0.97, -2.74} and
 * a1 = 0.254 x0 + 0.1 x1 - 0.2 in {0.054, -0.1, -0.254}: a in [-2.74, 0.8], c = x in [-1, 2].
 */
class QuantizerTest {
  private static Model model() {
    ModelBuilder b = new ModelBuilder("tiny");
    int x = b.activation("x", TensorType.FLOAT32, new Shape(1, 2), null);
    int w1 = b.constFloat32("w1", new Shape(2, 2), new float[] {0.5f, -1.27f, 0.254f, 0.1f});
    int b1 = b.constFloat32("b1", new Shape(2), new float[] {0.3f, -0.2f});
    int w2 = b.constFloat32("w2", new Shape(2, 2), new float[] {1, 0, 0, 1});
    int a = b.activation("a", TensorType.FLOAT32, new Shape(1, 2), null);
    int c = b.activation("c", TensorType.FLOAT32, new Shape(1, 2), null);
    int d = b.activation("d", TensorType.FLOAT32, new Shape(1, 4), null);
    int e = b.activation("e", TensorType.FLOAT32, new Shape(1, 4), null);
    int s = b.activation("s", TensorType.FLOAT32, new Shape(1, 4), null);
    OpOptions.FullyConnected fc = new OpOptions.FullyConnected(Activation.NONE, 0, false);
    b.op(BuiltinOp.FULLY_CONNECTED, fc, new int[] {x, w1, b1}, new int[] {a});
    b.op(BuiltinOp.FULLY_CONNECTED, fc, new int[] {x, w2, -1}, new int[] {c});
    b.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(1, Activation.NONE), new int[] {a, c}, new int[] {d});
    b.op(BuiltinOp.TANH, null, new int[] {d}, new int[] {e});
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {e}, new int[] {s});
    return TfliteReader.read(b.inputs(x).outputs(s).toBytes(), "tiny.tflite");
  }

  private static final List<float[][]> CAL = List.of(new float[][] {{1, 0}}, new float[][] {{0, 1}},
      new float[][] {{-1, 2}});

  private static Quantizer.Result quantize(boolean perTensor) {
    return Quantizer.quantize(model(), CAL, new QuantizeOptions(new CalibrationMethod.MinMax(), perTensor, false));
  }

  @Test
  void rangeToScaleAndZeroPoint() {
    QuantRange r = new QuantRange(-1, 3);
    assertEquals(4 / 255.0, r.scale(), 1e-9);
    assertEquals(-64, r.zeroPoint(), "round(-128 + 1 / (4/255)) = round(-64.25)");
    assertEquals(-128, new QuantRange(0.5, 2).zeroPoint(), "0 is added to the range");
    assertEquals(2 / 255.0, new QuantRange(0.5, 2).scale(), 1e-9);
    assertEquals(127, new QuantRange(-3, -1).zeroPoint());
    assertEquals(3, QuantRange.roundHalfAway(2.5));
    assertEquals(-3, QuantRange.roundHalfAway(-2.5));
  }

  @Test
  void activationsAreCalibratedAndConcatenationSharesOneQuantization() {
    Quantizer.Result q = quantize(false);
    Model m = q.model();
    Quantization x = m.tensor(0).quantization();
    assertEquals(3 / 255.0, x.scale(), 1e-7);
    assertEquals(-43, x.zeroPoint(), "round(-128 + 1 / (3/255)) = -43");
    assertEquals(-2.74, q.calibrated().get(4).min(), 1e-5);
    assertEquals(0.8, q.calibrated().get(4).max(), 1e-5);
    // a, c and d share the union [-2.74, 2]
    Quantization d = m.tensor(6).quantization();
    assertEquals(4.74 / 255.0, d.scale(), 1e-6);
    assertEquals(Math.round(-128 + 2.74 / (4.74 / 255.0)), d.zeroPoint());
    assertEquals(d, m.tensor(4).quantization());
    assertEquals(d, m.tensor(5).quantization());
    assertEquals(Quantization.perTensor(1f / 128, 0), m.tensor(7).quantization(), "TANH output is fixed");
    assertEquals(Quantization.perTensor(1f / 256, -128), m.tensor(8).quantization(), "SOFTMAX output is fixed");
    for (Tensor t : m.tensors()) {
      assertTrue(t.type() != TensorType.FLOAT32, "no float tensor left: " + t.label());
    }
  }

  @Test
  void weightsPerChannelSymmetricAndBiasAtInputTimesWeightScale() {
    Model m = quantize(false).model();
    Tensor w = m.tensor(1);
    assertEquals(TensorType.INT8, w.type());
    assertEquals(List.of(0.01f, 0.002f), w.quantization().scales(), "max|row| / 127: 1.27/127, 0.254/127");
    byte[] q = new byte[4];
    w.constantData().get(q);
    assertArrayEquals(new byte[] {50, -127, 127, 50}, q);
    Tensor bias = m.tensor(2);
    assertEquals(TensorType.INT32, bias.type());
    int[] bq = new int[2];
    bias.constantData().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(bq);
    assertArrayEquals(new int[] {2550, -8500}, bq, "0.3 / (3/255 * 0.01), -0.2 / (3/255 * 0.002)");
    assertEquals((float) (3 / 255.0 * 0.01), bias.quantization().scales().get(0), 1e-12);
  }

  @Test
  void perTensorWeightsUseOneScale() {
    Tensor w = quantize(true).model().tensor(1);
    assertEquals(List.of(0.01f), w.quantization().scales());
  }

  @Test
  void klClipsAFarOutlierAndPercentileDropsTails() {
    long[] hist = new long[RangeCollector.BINS];
    for (int i = 0; i < 200; i++) {
      hist[i] = 1000 - 4 * i;
    }
    hist[RangeCollector.BINS - 1] = 1;
    double t = RangeCollector.klThreshold(hist);
    assertTrue(t >= 200 && t < 400, "threshold " + t + " bins: just past the bulk, far below the outlier");
    long[] flat = new long[100];
    java.util.Arrays.fill(flat, 10);
    assertEquals(99.0, RangeCollector.quantileBin(flat, 0.99, true), 1e-9);
    assertEquals(0.0, RangeCollector.quantileBin(flat, 0.0, false), 1e-9);
    assertEquals(1.0, RangeCollector.quantileBin(flat, 0.015, false), 1e-9, "lower edge of the bin reaching 1.5%");
  }

  @Test
  void emaAveragesPerSampleExtremes() {
    // x per sample: [0, 1], [0, 1], [-1, 2]; decay 0.99: min 0, 0, 0.01 * -1; max 1, 1, 0.99 + 0.01 * 2
    Quantizer.Result q = Quantizer.quantize(model(), CAL,
        new QuantizeOptions(new CalibrationMethod.Ema(0.99), false, false));
    assertEquals(-0.01, q.calibrated().get(0).min(), 1e-9);
    assertEquals(1.01, q.calibrated().get(0).max(), 1e-9);
  }

  @Test
  void anOverflowInTheFloatModelIsNamed() {
    ModelBuilder b = new ModelBuilder("square");
    int x = b.activation("x", TensorType.FLOAT32, new Shape(1, 2), null);
    int y = b.activation("y", TensorType.FLOAT32, new Shape(1, 2), null);
    b.op(BuiltinOp.MUL, new OpOptions.Arithmetic(Activation.NONE), new int[] {x, x}, new int[] {y});
    Model m = TfliteReader.read(b.inputs(x).outputs(y).toBytes(), "square.tflite");
    io.tinyforge.TinyforgeException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.tinyforge.TinyforgeException.class, () -> Quantizer.quantize(m, List.<float[][]>of(new float[][] {{1e30f, 1}}),
            QuantizeOptions.defaults()));
    assertTrue(e.getMessage().contains("tensor 'y' is not finite"), e.getMessage());
  }

  @Test
  void methodsParse() {
    assertEquals(new CalibrationMethod.Percentile(99.99), CalibrationMethod.parse("percentile=99.99"));
    assertEquals("kl", CalibrationMethod.parse("KL").label());
    assertTrue(CalibrationMethod.parse("ema") instanceof CalibrationMethod.Ema);
  }
}
