package io.tinyforge.sim;

import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of every tensor of one model, by tensor index: constants decoded once from the model, every other
 * tensor its own zeroed byte[] (no memory planning here; aliasing ops copy). Kernels read and write through it.
 */
public final class TensorArena {
  private final Model model;
  private final byte[][] bytes;
  private final int[][] ints;
  private final java.util.Map<String, Object> derived = new java.util.HashMap<>();

  public TensorArena(Model model) {
    this.model = model;
    int n = model.tensors().size();
    bytes = new byte[n][];
    ints = new int[n][];
    for (Tensor t : model.tensors()) {
      if (t.isConstant()) {
        ByteBuffer b = t.constantData();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        bytes[t.index()] = data;
        if (t.type() == TensorType.INT32) {
          ints[t.index()] = toInts(data);
        }
      } else {
        bytes[t.index()] = new byte[Math.max(0, t.byteSize())];
      }
    }
  }

  public Model model() {
    return model;
  }

  /** The live bytes of tensor {@code index} (not a copy: kernels write into it). */
  public byte[] bytes(int index) {
    return bytes[index];
  }

  /** The int32 values of a constant INT32 tensor, decoded once; null for index -1. */
  public int[] ints(int index) {
    if (index < 0) {
      return null;
    }
    int[] v = ints[index];
    if (v == null) {
      throw new IllegalStateException("tensor " + index + " is not a constant int32 tensor");
    }
    return v;
  }

  /**
   * Data a kernel derives once from a constant tensor (e.g. a re-laid-out filter), kept for the arena's lifetime.
   * {@code key} must name the derivation; constants never change, so the cache never goes stale.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(int tensorIndex, String key, java.util.function.Function<byte[], T> derive) {
    return (T) derived.computeIfAbsent(key + "#" + tensorIndex, k -> derive.apply(bytes[tensorIndex]));
  }

  /** Little-endian int32 view of any tensor's current bytes (a copy). */
  public int[] readInts(int index) {
    return toInts(bytes[index]);
  }

  public static int[] toInts(byte[] data) {
    int[] v = new int[data.length / 4];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
    return v;
  }
}
