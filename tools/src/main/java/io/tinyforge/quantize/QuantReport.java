package io.tinyforge.quantize;

import io.tinyforge.floatsim.FloatInterpreter;
import io.tinyforge.floatsim.FloatRun;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.sim.Simulator;
import io.tinyforge.sim.Trace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How far the int8 model is from the float one: for every activation, the signal-to-quantization-noise ratio
 * SQNR = 10 log10(sum f^2 / sum (f - dequantized q)^2) of the bit-exact int8 simulator against the float
 * interpreter over the given samples (the int8 run starts from the quantized sample, so each layer's figure includes
 * the error carried in from earlier layers); and, with labels, the top-1 accuracy of both.
 */
public final class QuantReport {
  /** One activation tensor: its op, calibrated range, chosen parameters and SQNR in dB. */
  public record Row(int tensor, String name, String op, QuantRange range, float scale, int zeroPoint, double sqnrDb) {}

  public record Accuracy(int samples, double floatTop1, double int8Top1) {}

  private final List<Row> rows;
  private final Accuracy accuracy;

  private QuantReport(List<Row> rows, Accuracy accuracy) {
    this.rows = rows;
    this.accuracy = accuracy;
  }

  public List<Row> rows() {
    return rows;
  }

  public Accuracy accuracy() {
    return accuracy;
  }

  /** The {@code count} rows with the lowest SQNR, worst first. */
  public List<Row> worst(int count) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingDouble(Row::sqnrDb));
    return sorted.subList(0, Math.min(count, sorted.size()));
  }

  /**
   * @param labels null, or one class index per sample (compared with the argmax of output 0)
   */
  public static QuantReport measure(Model floatModel, Quantizer.Result q, boolean floatIo, List<float[][]> samples,
      int[] labels) {
    FloatInterpreter fi = FloatInterpreter.of(floatModel);
    Model im = q.model();
    Simulator sim = Simulator.of(im);
    Map<Integer, Quantization> act = q.activations();
    List<Integer> tracked = new ArrayList<>(q.calibrated().keySet());
    double[] signal = new double[tracked.size()];
    double[] noise = new double[tracked.size()];
    int floatRight = 0;
    int int8Right = 0;
    for (int s = 0; s < samples.size(); s++) {
      float[][] sample = samples.get(s);
      FloatRun fr = fi.run(sample);
      byte[][] inputs = new byte[sample.length][];
      for (int i = 0; i < sample.length; i++) {
        inputs[i] = floatIo ? floatBytes(sample[i]) : quantize(sample[i], act.get(floatModel.inputs().get(i)));
      }
      Trace trace = sim.runTraced(inputs);
      for (int k = 0; k < tracked.size(); k++) {
        int t = tracked.get(k);
        byte[] qb = trace.tensor(t);
        float[] f = fr.tensor(t);
        Quantization p = act.get(t);
        for (int i = 0; i < f.length; i++) {
          double dq = p.scale() * (double) (qb[i] - p.zeroPoint());
          signal[k] += (double) f[i] * f[i];
          noise[k] += (f[i] - dq) * (f[i] - dq);
        }
      }
      if (labels != null) {
        int out = floatModel.outputs().get(0);
        floatRight += argmax(fr.tensor(out)) == labels[s] ? 1 : 0;
        byte[] qo = trace.tensor(out);
        int8Right += argmaxBytes(qo) == labels[s] ? 1 : 0;
      }
    }
    Map<Integer, String> producer = new java.util.HashMap<>();
    for (Operator op : floatModel.operators()) {
      for (int o : op.outputs()) {
        producer.put(o, op.index() + " " + op.opName());
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < tracked.size(); k++) {
      int t = tracked.get(k);
      Tensor tensor = floatModel.tensor(t);
      Quantization p = act.get(t);
      double sqnr = noise[k] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal[k] / noise[k]);
      rows.add(new Row(t, tensor.name(), producer.getOrDefault(t, "input"), q.calibrated().get(t), p.scale(),
          p.zeroPoint(), sqnr));
    }
    Accuracy acc = labels == null ? null
        : new Accuracy(samples.size(), (double) floatRight / samples.size(), (double) int8Right / samples.size());
    return new QuantReport(rows, acc);
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int argmaxBytes(byte[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static byte[] quantize(float[] x, Quantization q) {
    byte[] out = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = QuantRange.quantize(x[i], q.scale(), q.zeroPoint());
    }
    return out;
  }

  static byte[] floatBytes(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      b.putFloat(v);
    }
    return b.array();
  }
}
