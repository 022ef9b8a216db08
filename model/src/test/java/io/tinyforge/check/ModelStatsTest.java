package io.tinyforge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MAC counts and parameter bytes on small built models, each expected figure worked out by hand in the test
 * (conv: output elements x kh x kw x in_c; depthwise: output elements x kh x kw; fully connected: outputs x depth;
 * transpose conv: input elements x out_c x kh x kw), and the ops whose MACs cannot be counted.
 */
class ModelStatsTest {
  private static final Quantization Q = Quantization.perTensor(0.5f, 0);

  @Test
  void weightedOpsByHand() {
    ModelBuilder b = new ModelBuilder("stats");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 6, 6, 3), Q);
    int cw = b.constInt8("cw", new Shape(5, 3, 2, 3), new byte[90], Q); // 5 filters 3x2 over 3 channels
    int cb = b.constInt32("cb", new Shape(5), new int[5], Q);
    int c = b.activation("c", TensorType.INT8, new Shape(1, 4, 5, 5), Q);
    int dw = b.constInt8("dw", new Shape(1, 3, 3, 10), new byte[90], Q); // multiplier 2
    int d = b.activation("d", TensorType.INT8, new Shape(1, 2, 3, 10), Q);
    int fw = b.constInt8("fw", new Shape(7, 60), new byte[420], Q);
    int f = b.activation("f", TensorType.INT8, new Shape(1, 7), Q);
    int tw = b.constInt8("tw", new Shape(4, 3, 3, 7), new byte[252], Q);
    int shape = b.constInt32("oshape", new Shape(4), new int[] {1, 3, 3, 4}, null);
    int t = b.activation("t", TensorType.INT8, new Shape(1, 3, 3, 4), Q);
    int t7 = b.activation("t7", TensorType.INT8, new Shape(1, 1, 1, 7), Q);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
        new int[] {x, cw, cb}, new int[] {c});
    b.op(BuiltinOp.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(Padding.VALID, 2, 2, 2, Activation.NONE, 1, 1),
        new int[] {c, dw, -1}, new int[] {d});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {d, fw, -1},
        new int[] {f});
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of(1, 1, 1, 7)), new int[] {f}, new int[] {t7});
    b.op(BuiltinOp.TRANSPOSE_CONV, new OpOptions.TransposeConv(Padding.VALID, 1, 1, Activation.NONE),
        new int[] {shape, tw, t7}, new int[] {t});
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {t}, new int[] {t});
    Model m = b.inputs(x).outputs(t).build();

    ModelStats s = ModelStats.of(m);
    long conv = 1 * 4 * 5 * 5 * (3 * 2 * 3); // 100 outputs x 18 taps
    long depthwise = 1 * 2 * 3 * 10 * (3 * 3); // 60 outputs x 9 taps
    long fc = 7 * 60;
    long transpose = 7 * (4 * 3 * 3); // 7 input elements, each through 4 filters of 3x3
    assertEquals(List.of(conv, depthwise, fc, 0L, transpose, 0L),
        s.ops().stream().map(ModelStats.OpStats::macs).toList());
    assertEquals(conv + depthwise + fc + transpose, s.totalMacs());
    assertEquals(0, s.uncountedOps());
    assertEquals(List.of(90L + 20, 90L, 420L, 0L, 16L + 252, 0L),
        s.ops().stream().map(ModelStats.OpStats::paramBytes).toList());
    assertEquals(90 + 20 + 90 + 420 + 16 + 252, s.weightBytes());
    assertEquals(m.tensors().size(), s.tensorCount());
    assertEquals("x", s.largestActivation().name(), "1x6x6x3 = 108 bytes is the largest activation");
  }

  @Test
  void sharedConstantsCountOnceInTheTotal() {
    ModelBuilder b = new ModelBuilder("shared");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), Q);
    int w = b.constInt8("w", new Shape(8, 8), new byte[64], Q);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), Q);
    int z = b.activation("z", TensorType.INT8, new Shape(1, 8), Q);
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {x, w, -1},
        new int[] {y});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {y, w, -1},
        new int[] {z});
    ModelStats s = ModelStats.of(b.inputs(x).outputs(z).build());
    assertEquals(64, s.ops().get(0).paramBytes());
    assertEquals(64, s.ops().get(1).paramBytes());
    assertEquals(64, s.weightBytes());
    assertEquals(2 * 8 * 8, s.totalMacs());
  }

  @Test
  void opsWhoseMacsCannotBeCountedAreLeftOutOfTheTotal() {
    ModelBuilder b = new ModelBuilder("odd");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4, 4, 2), Q);
    int w3 = b.constInt8("w3", new Shape(3, 3, 2), new byte[18], Q); // rank 3: not a conv filter
    int fw = b.constInt8("fw", new Shape(4, 32), new byte[128], Q);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4, 4, 3), Q);
    int f = b.activation("f", TensorType.INT8, new Shape(1, 4), Q);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1), new int[] {x, w3},
        new int[] {y});
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1), new int[] {x, -1},
        new int[] {y});
    b.op(BuiltinOp.DEPTHWISE_CONV_2D, new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, Activation.NONE, 1, 1),
        new int[] {x}, new int[] {y});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {y, fw},
        new int[] {f});
    ModelStats s = ModelStats.of(b.inputs(x).outputs(f).build());
    assertEquals(List.of(ModelStats.UNKNOWN, ModelStats.UNKNOWN, ModelStats.UNKNOWN, 4L * 32),
        s.ops().stream().map(ModelStats.OpStats::macs).toList());
    assertEquals(3, s.uncountedOps());
    assertEquals(4 * 32, s.totalMacs());
  }

  @Test
  void countBeyondALongIsUnknownNotWrappedAround() {
    // a zero leading dimension keeps the element count at 0, so the reader's overflow check lets the other
    // dimensions be huge; their product must not wrap into a plausible MAC count
    int big = 1 << 30;
    List<Tensor> tensors = new ArrayList<>();
    tensors.add(new Tensor(0, "x", TensorType.INT8, new Shape(1, 4, 4, 2), Q, null, false));
    tensors.add(new Tensor(1, "w", TensorType.INT8, new Shape(0, big, big, big), Q, null, false));
    tensors.add(new Tensor(2, "y", TensorType.INT8, new Shape(1, 1024, 1024, 4), Q, null, false));
    Operator conv = new Operator(0, BuiltinOp.CONV_2D.code(), 1, null, List.of(0, 1), List.of(2),
        new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1));
    Model m = new Model("huge", 3, "", tensors, List.of(conv), List.of(0), List.of(2), java.util.Map.of());
    ModelStats s = ModelStats.of(m);
    assertEquals(ModelStats.UNKNOWN, s.ops().get(0).macs());
    assertEquals(1, s.uncountedOps());
    assertEquals(0, s.totalMacs());
  }

  @Test
  void modelWithoutActivations() {
    List<Tensor> tensors = List.of(
        new Tensor(0, "k", TensorType.INT8, new Shape(2), Q, java.nio.ByteBuffer.wrap(new byte[2]), false));
    Model m = new Model("consts", 3, "", tensors, List.of(), List.of(), List.of(), java.util.Map.of());
    ModelStats s = ModelStats.of(m);
    assertNull(s.largestActivation());
    assertEquals(0, s.totalMacs());
    assertEquals(0, s.weightBytes(), "a constant no op reads is not a weight");
  }
}
