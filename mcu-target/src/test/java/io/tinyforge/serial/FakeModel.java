package io.tinyforge.serial;

import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.List;
import java.util.Map;

/**
 * The graph of the C stand-in model firmware/app/test_model/ and its arithmetic, written independently in Java
 * so the tests know the right answers without any firmware or simulator. The verify tests reuse it.
 */
public final class FakeModel {
  static final int[] SIZES = {20, 7, 20, 20, 10};
  public static final String HASH = "fake-model-0001";

  private FakeModel() {}

  public static Model graph() {
    List<Tensor> tensors = List.of(
        tensor(0, "in0", 20, 0.5f, -3), tensor(1, "in1", 7, 0.25f, 0), tensor(2, "t2", 20, 0.5f, 0),
        tensor(3, "out0", 20, 0.125f, 5), tensor(4, "out1", 10, 1.0f, -128));
    List<Operator> ops = List.of(
        new Operator(0, 0, 1, null, List.of(0), List.of(2), new OpOptions.None()),
        new Operator(1, 18, 1, null, List.of(2, 1), List.of(3), new OpOptions.None()),
        new Operator(2, 0, 1, null, List.of(3), List.of(4), new OpOptions.None()));
    return new Model("fake.tflite", 3, "", tensors, ops, List.of(0, 1), List.of(3, 4), Map.of());
  }

  private static Tensor tensor(int index, String name, int n, float scale, int zp) {
    return new Tensor(index, name, TensorType.INT8, new Shape(1, n), Quantization.perTensor(scale, zp), null, false);
  }

  /** Every tensor (index order) after running the model on the two inputs. */
  public static byte[][] run(byte[] in0, byte[] in1) {
    byte[] t2 = new byte[20];
    byte[] out0 = new byte[20];
    byte[] out1 = new byte[10];
    for (int i = 0; i < 20; i++) {
      t2[i] = (byte) (in0[i] + 3);
    }
    for (int i = 0; i < 20; i++) {
      out0[i] = (byte) ((t2[i] * 2) ^ in1[i % 7]);
    }
    for (int j = 0; j < 10; j++) {
      out1[j] = (byte) (out0[j] + out0[j + 10]);
    }
    return new byte[][] {in0.clone(), in1.clone(), t2, out0, out1};
  }
}
