package io.tinyforge.quantize;

import io.tinyforge.TinyforgeException;
import io.tinyforge.floatsim.FloatInterpreter;
import io.tinyforge.floatsim.FloatRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the float interpreter over the calibration samples and estimates each tracked tensor's range with the chosen
 * {@link CalibrationMethod}. A first pass records extremes (and their moving averages); histogram methods take a
 * second pass over the same samples with {@value #BINS} bins between the extremes.
 */
final class RangeCollector {
  static final int BINS = 2048;
  /** Quantized levels of the KL search: 128 for the magnitude of a signed 8-bit value. */
  static final int LEVELS = 128;

  private RangeCollector() {}

  static Map<Integer, QuantRange> collect(FloatInterpreter fi, List<Integer> tensors, List<float[][]> samples,
      CalibrationMethod method) {
    int n = tensors.size();
    double[] min = new double[n];
    double[] max = new double[n];
    double[] emaMin = new double[n];
    double[] emaMax = new double[n];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    double decay = method instanceof CalibrationMethod.Ema e ? e.decay() : 0;
    boolean first = true;
    for (float[][] sample : samples) {
      FloatRun run = fi.run(sample);
      for (int k = 0; k < n; k++) {
        float[] v = run.tensor(tensors.get(k));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : v) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
          throw new TinyforgeException(fi.model().source() + ": tensor "
              + fi.model().tensor(tensors.get(k)).label() + " is not finite (" + lo + " .. " + hi + ") when the "
              + "float model runs the calibration samples; check the samples' scale and the model");
        }
        min[k] = Math.min(min[k], lo);
        max[k] = Math.max(max[k], hi);
        emaMin[k] = first ? lo : decay * emaMin[k] + (1 - decay) * lo;
        emaMax[k] = first ? hi : decay * emaMax[k] + (1 - decay) * hi;
      }
      first = false;
    }
    Map<Integer, QuantRange> out = new LinkedHashMap<>();
    if (method instanceof CalibrationMethod.MinMax) {
      for (int k = 0; k < n; k++) {
        out.put(tensors.get(k), new QuantRange(min[k], max[k]));
      }
      return out;
    }
    if (method instanceof CalibrationMethod.Ema) {
      for (int k = 0; k < n; k++) {
        out.put(tensors.get(k), new QuantRange(emaMin[k], emaMax[k]));
      }
      return out;
    }
    boolean kl = method instanceof CalibrationMethod.Kl;
    long[][] hist = new long[n][BINS];
    for (float[][] sample : samples) {
      FloatRun run = fi.run(sample);
      for (int k = 0; k < n; k++) {
        float[] v = run.tensor(tensors.get(k));
        double lo = kl ? 0 : min[k];
        double width = (kl ? Math.max(Math.abs(min[k]), Math.abs(max[k])) : max[k] - min[k]) / BINS;
        for (float x : v) {
          double pos = width > 0 ? ((kl ? Math.abs(x) : x) - lo) / width : 0;
          hist[k][(int) Math.max(0, Math.min(BINS - 1, pos))]++;
        }
      }
    }
    for (int k = 0; k < n; k++) {
      QuantRange r;
      if (kl) {
        double absMax = Math.max(Math.abs(min[k]), Math.abs(max[k]));
        double t = klThreshold(hist[k]) * absMax / BINS;
        r = new QuantRange(Math.max(min[k], -t), Math.min(max[k], t));
      } else {
        double p = ((CalibrationMethod.Percentile) method).percent() / 100.0;
        double width = (max[k] - min[k]) / BINS;
        r = new QuantRange(min[k] + quantileBin(hist[k], 1 - p, false) * width,
            min[k] + quantileBin(hist[k], p, true) * width);
      }
      out.put(tensors.get(k), r);
    }
    return out;
  }

  /** Bin edge (in bins) at quantile q: the lower edge of the bin reaching q, or its upper edge when {@code upper}. */
  static double quantileBin(long[] hist, double q, boolean upper) {
    long total = 0;
    for (long h : hist) {
      total += h;
    }
    double target = q * total;
    long cum = 0;
    for (int i = 0; i < hist.length; i++) {
      cum += hist[i];
      if (cum >= target && cum > 0) {
        return upper ? i + 1 : i;
      }
    }
    return hist.length;
  }

  /**
   * TensorRT's entropy calibration on a histogram of |x|: for each candidate threshold of i bins (clipped values
   * folded into the last kept bin), merge the i bins into {@value #LEVELS} levels, spread each level's count evenly
   * over its non-empty bins, and keep the i with the smallest KL(P || Q). Returns the threshold in bins (i + 0.5
   * would be the centre of the last bin; the upper edge i is used, which never clips the kept bins).
   */
  static double klThreshold(long[] hist) {
    int bins = hist.length;
    double best = Double.POSITIVE_INFINITY;
    int bestI = bins;
    long tail = 0;
    for (int i = bins; i >= LEVELS; i--) {
      if (i < bins) {
        tail += hist[i];
      }
      double[] p = new double[i];
      for (int j = 0; j < i; j++) {
        p[j] = hist[j];
      }
      p[i - 1] += tail;
      double[] q = new double[i];
      for (int level = 0; level < LEVELS; level++) {
        int start = (int) ((long) level * i / LEVELS);
        int end = (int) ((long) (level + 1) * i / LEVELS);
        double sum = 0;
        int nonzero = 0;
        for (int j = start; j < end; j++) {
          sum += hist[j];
          if (hist[j] != 0) {
            nonzero++;
          }
        }
        for (int j = start; j < end; j++) {
          q[j] = hist[j] != 0 ? sum / nonzero : 0;
        }
      }
      double kl = divergence(p, q);
      if (kl < best) {
        best = kl;
        bestI = i;
      }
    }
    return bestI;
  }

  private static double divergence(double[] p, double[] q) {
    double ps = 0;
    double qs = 0;
    for (int j = 0; j < p.length; j++) {
      ps += p[j];
      qs += q[j];
    }
    if (ps == 0 || qs == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double kl = 0;
    for (int j = 0; j < p.length; j++) {
      if (p[j] > 0) {
        // q is 0 where the clipped tail landed in an empty bin: a small floor keeps the divergence finite but large
        double qj = Math.max(q[j] / qs, 1e-12);
        kl += p[j] / ps * Math.log(p[j] / ps / qj);
      }
    }
    return kl;
  }
}
