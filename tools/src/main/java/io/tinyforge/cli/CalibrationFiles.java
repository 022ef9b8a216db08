package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads float32 samples for {@code quantize}: a .npy of shape [N, input shape without its batch of 1]; or a folder
 * of .npy / raw little-endian float32 .bin files, one sample each (sorted by name); for a model with several inputs,
 * a folder with one such subfolder per input index (0, 1, ...). Also reads label vectors ({@code --test-y}).
 */
final class CalibrationFiles {
  private CalibrationFiles() {}

  static List<float[][]> load(Path path, Model m, String what) {
    if (!Files.exists(path)) {
      throw new TinyforgeException(what + " " + path + ": no such file or folder; give a .npy file or a folder of "
          + ".npy/.bin samples");
    }
    int inputs = m.inputs().size();
    List<List<float[]>> perInput = new ArrayList<>();
    if (inputs == 1) {
      perInput.add(Files.isDirectory(path) ? folder(path, m.input(0), what) : npyBatch(path, m.input(0), what));
    } else {
      if (!Files.isDirectory(path)) {
        throw new TinyforgeException(what + " " + path + ": the model has " + inputs + " inputs; give a folder with "
            + "one subfolder per input index (0, 1, ...)");
      }
      for (int i = 0; i < inputs; i++) {
        Path sub = path.resolve(Integer.toString(i));
        if (!Files.isDirectory(sub)) {
          throw new TinyforgeException(what + " " + path + ": no subfolder '" + i + "' for input " + i);
        }
        perInput.add(folder(sub, m.input(i), what));
      }
    }
    int n = perInput.get(0).size();
    for (int i = 1; i < inputs; i++) {
      if (perInput.get(i).size() != n) {
        throw new TinyforgeException(what + " " + path + ": input 0 has " + n + " samples but input " + i + " has "
            + perInput.get(i).size());
      }
    }
    if (n == 0) {
      throw new TinyforgeException(what + " " + path + ": the set is empty; give at least one sample");
    }
    List<float[][]> samples = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      float[][] sample = new float[inputs][];
      for (int i = 0; i < inputs; i++) {
        sample[i] = perInput.get(i).get(s);
      }
      samples.add(sample);
    }
    return samples;
  }

  /** The input's shape without a leading batch of 1: what one sample of a batch file holds. */
  private static int[] sampleShape(Tensor input) {
    int[] d = input.shape().toArray();
    return d.length > 0 && d[0] == 1 ? Arrays.copyOfRange(d, 1, d.length) : d;
  }

  private static byte[] read(Path p, String what) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new TinyforgeException(what + " " + p + ": cannot read (" + e.getMessage() + ")");
    }
  }

  private static Npy.Array npy(Path p, String what) {
    Npy.Array a = Npy.read(read(p, what), what + " " + p);
    if (a.type() != TensorType.FLOAT32) {
      throw new TinyforgeException(what + " " + p + ": dtype is " + a.type().name().toLowerCase() + ", samples "
          + "must be float32 (x.astype(np.float32))");
    }
    return a;
  }

  private static List<float[]> npyBatch(Path p, Tensor input, String what) {
    Npy.Array a = npy(p, what);
    int[] want = sampleShape(input);
    int[] got = a.shape().length == 0 ? new int[0] : Arrays.copyOfRange(a.shape(), 1, a.shape().length);
    if (a.shape().length == 0 || !Arrays.equals(got, want)) {
      throw new TinyforgeException(what + " " + p + ": shape " + new Shape(a.shape()) + " does not fit input "
          + input.label() + " " + input.shape() + "; expected [N, " + new Shape(want) + "]");
    }
    int per = input.shape().elementCount();
    float[] all = floats(a.data());
    List<float[]> out = new ArrayList<>();
    for (int s = 0; s < a.shape()[0]; s++) {
      out.add(Arrays.copyOfRange(all, s * per, (s + 1) * per));
    }
    return out;
  }

  private static List<float[]> folder(Path dir, Tensor input, String what) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".npy") || p.toString().endsWith(".bin")).sorted().toList();
    } catch (IOException e) {
      throw new TinyforgeException(what + " " + dir + ": cannot list (" + e.getMessage() + ")");
    }
    List<float[]> out = new ArrayList<>();
    int per = input.shape().elementCount();
    for (Path f : files) {
      if (f.toString().endsWith(".npy")) {
        Npy.Array a = npy(f, what);
        if (!Arrays.equals(a.shape(), input.shape().toArray()) && !Arrays.equals(a.shape(), sampleShape(input))) {
          throw new TinyforgeException(what + " " + f + ": shape " + new Shape(a.shape()) + " does not fit input "
              + input.label() + " " + input.shape());
        }
        out.add(floats(a.data()));
      } else {
        byte[] b = read(f, what);
        if (b.length != per * 4) {
          throw new TinyforgeException(what + " " + f + ": " + b.length + " bytes, input " + input.label() + " "
              + input.shape() + " needs " + per * 4 + " (raw little-endian float32)");
        }
        out.add(floats(b));
      }
    }
    return out;
  }

  private static float[] floats(byte[] b) {
    float[] v = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** Class labels: an integer .npy of shape [N]. */
  static int[] labels(Path p, int expected) {
    Npy.Array a = Npy.read(read(p, "--test-y"), "--test-y " + p);
    if (a.shape().length != 1 || a.shape()[0] != expected) {
      throw new TinyforgeException("--test-y " + p + ": shape " + new Shape(a.shape()) + ", expected [" + expected
          + "] (one label per --test-x sample)");
    }
    ByteBuffer b = ByteBuffer.wrap(a.data()).order(ByteOrder.LITTLE_ENDIAN);
    int[] v = new int[expected];
    for (int i = 0; i < expected; i++) {
      v[i] = switch (a.type()) {
        case INT8, UINT8 -> a.type() == TensorType.UINT8 ? b.get() & 0xff : b.get();
        case INT16 -> b.getShort();
        case INT32 -> b.getInt();
        case INT64 -> (int) b.getLong();
        default -> throw new TinyforgeException("--test-y " + p + ": labels must be integers, not "
            + a.type().name().toLowerCase());
      };
    }
    return v;
  }
}
