package io.tinyforge.check;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per reason ModelChecker refuses a model, each starting from a valid model (accepted by the tests at the
 * top) and changing one thing; every refusal is one line naming the model and the op or tensor. Models are checked
 * both as built and after a trip through the .tflite writer and reader, so the file path sees the same verdict.
 */
class ModelCheckerTest {
  private static final String NAME = "m.tflite";
  private static final Quantization ACT = Quantization.perTensor(0.5f, -1);

  /** One weighted op x -> OP(w, bias) -> y with every knob a test may turn; the defaults are a valid int8 model. */
  static final class Spec {
    BuiltinOp op;
    OpOptions options;
    TensorType xType = TensorType.INT8;
    Quantization xq = ACT;
    Shape xShape;
    TensorType wType = TensorType.INT8;
    Quantization wq;
    Shape wShape;
    TensorType bType = TensorType.INT32;
    Quantization bq;
    Shape bShape;
    boolean bias = true;
    TensorType yType = TensorType.INT8;
    Quantization yq = Quantization.perTensor(0.25f, 3);
    Shape yShape;
    int[] inputsOverride;

    static Spec conv() {
      Spec s = new Spec();
      s.op = BuiltinOp.CONV_2D;
      s.options = new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.RELU, 1, 1);
      s.xShape = new Shape(1, 4, 4, 2);
      s.wShape = new Shape(3, 3, 3, 2);
      s.wq = perChannel(3, 0);
      s.bShape = new Shape(3);
      s.bq = perChannel(3, 0);
      s.yShape = new Shape(1, 4, 4, 3);
      return s;
    }

    static Spec depthwise() {
      Spec s = new Spec();
      s.op = BuiltinOp.DEPTHWISE_CONV_2D;
      s.options = new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, Activation.NONE, 1, 1);
      s.xShape = new Shape(1, 4, 4, 2);
      s.wShape = new Shape(1, 3, 3, 2);
      s.wq = perChannel(2, 3);
      s.bShape = new Shape(2);
      s.bq = perChannel(2, 0);
      s.yShape = new Shape(1, 4, 4, 2);
      return s;
    }

    static Spec fullyConnected() {
      Spec s = new Spec();
      s.op = BuiltinOp.FULLY_CONNECTED;
      s.options = new OpOptions.FullyConnected(Activation.NONE, 0, false);
      s.xShape = new Shape(1, 8);
      s.wShape = new Shape(4, 8);
      s.wq = Quantization.perTensor(0.02f, 0);
      s.bShape = new Shape(4);
      s.bq = Quantization.perTensor(0.01f, 0);
      s.yShape = new Shape(1, 4);
      return s;
    }

    Spec with(Consumer<Spec> change) {
      change.accept(this);
      return this;
    }

    ModelBuilder builder() {
      ModelBuilder b = new ModelBuilder(NAME);
      int x = b.activation("x", xType, xShape, xq);
      int w = b.constant("w", wType, wShape, new byte[wShape.elementCount() * wType.bytes()], wq);
      int bi = bias ? b.constant("b", bType, bShape, new byte[bShape.elementCount() * bType.bytes()], bq) : -1;
      int y = b.activation("y", yType, yShape, yq);
      b.op(op, options, inputsOverride != null ? inputsOverride : new int[] {x, w, bi}, new int[] {y});
      return b.inputs(x).outputs(y);
    }

    Model build() {
      return builder().build();
    }
  }

  private static Quantization perChannel(int n, int axis) {
    List<Float> scales = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      scales.add(0.01f * (i + 1));
    }
    return new Quantization(scales, Collections.nCopies(n, 0L), axis);
  }

  private static void accepted(ModelBuilder b) {
    Model m = b.build();
    assertDoesNotThrow(() -> ModelChecker.check(m));
    assertNull(ModelChecker.verdict(m));
    Model fromFile = TfliteReader.read(b.toBytes(), NAME);
    assertDoesNotThrow(() -> ModelChecker.check(fromFile), "after a write/read round trip");
  }

  /** The refusal of the built model (and of the same model read from its bytes), checked for shape and content. */
  private static String refused(ModelBuilder b, String... fragments) {
    String msg = refused(b.build(), fragments);
    Model fromFile = TfliteReader.read(b.toBytes(), NAME);
    ModelException e = assertThrows(ModelException.class, () -> ModelChecker.check(fromFile));
    assertEquals(msg, e.getMessage(), "same refusal after a write/read round trip");
    return msg;
  }

  private static String refused(Model m, String... fragments) {
    ModelException e = assertThrows(ModelException.class, () -> ModelChecker.check(m));
    String msg = e.getMessage();
    assertTrue(msg.startsWith(m.source() + ": "), "names the model: " + msg);
    assertFalse(msg.contains("\n"), "one line: " + msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), "message should contain '" + f + "': " + msg);
    }
    assertEquals(msg, ModelChecker.verdict(m));
    assertEquals(2, e.exitCode());
    return msg;
  }

  // ---- accepted ----

  @Test
  void validConvIsAccepted() {
    accepted(Spec.conv().builder());
  }

  @Test
  void validDepthwiseIsAccepted() {
    accepted(Spec.depthwise().builder());
  }

  @Test
  void validFullyConnectedIsAccepted() {
    accepted(Spec.fullyConnected().builder());
  }

  @Test
  void fullyConnectedWithoutBiasIsAccepted() {
    accepted(Spec.fullyConnected().with(s -> s.bias = false).builder());
  }

  @Test
  void floatIoAroundQuantizeAndDequantizeIsAccepted() {
    ModelBuilder b = new ModelBuilder(NAME);
    int in = b.activation("in_f32", TensorType.FLOAT32, new Shape(1, 8), null);
    int q = b.activation("in_q", TensorType.INT8, new Shape(1, 8), ACT);
    int w = b.constInt8("w", new Shape(4, 8), new byte[32], Quantization.perTensor(0.02f, 0));
    int bias = b.constInt32("b", new Shape(4), new int[4], Quantization.perTensor(0.01f, 0));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4), ACT);
    int out = b.activation("out_f32", TensorType.FLOAT32, new Shape(1, 4), null);
    b.op(BuiltinOp.QUANTIZE, null, new int[] {in}, new int[] {q});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false),
        new int[] {q, w, bias}, new int[] {y});
    b.op(BuiltinOp.DEQUANTIZE, null, new int[] {y}, new int[] {out});
    accepted(b.inputs(in).outputs(out));
  }

  @Test
  void supportedOpListIsSortedAndComplete() {
    String list = ModelChecker.supportedOpList();
    for (BuiltinOp op : ModelChecker.SUPPORTED_OPS) {
      assertTrue(list.contains(op.name()), op + " in " + list);
    }
    List<String> names = List.of(list.split(", "));
    List<String> sorted = new ArrayList<>(names);
    Collections.sort(sorted);
    assertEquals(sorted, names);
    assertEquals(ModelChecker.SUPPORTED_OPS.size(), names.size());
  }

  // ---- float ----

  @Test
  void floatModel() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.FLOAT32, new Shape(1, 8), null);
    int w = b.constFloat32("w", new Shape(4, 8), new float[32]);
    int bias = b.constFloat32("b", new Shape(4), new float[4]);
    int y = b.activation("y", TensorType.FLOAT32, new Shape(1, 4), null);
    int z = b.activation("z", TensorType.FLOAT32, new Shape(1, 4), null);
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.RELU, 0, false), new int[] {x, w, bias},
        new int[] {y});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.NONE, 0, false), new int[] {y, w, bias},
        new int[] {z});
    refused(b.inputs(x).outputs(z), "FLOAT32", "op 0 (FULLY_CONNECTED)", "int8", "full-integer");
  }

  @Test
  void hybridModelFloatActivationsWithInt8Weights() {
    refused(Spec.fullyConnected().with(s -> {
      s.xType = TensorType.FLOAT32;
      s.xq = null;
      s.yType = TensorType.FLOAT32;
      s.yq = null;
    }).builder(), "tensor 'x'", "FLOAT32", "hybrid");
  }

  @Test
  void floatBiasInAnInt8Model() {
    refused(Spec.conv().with(s -> {
      s.bType = TensorType.FLOAT32;
      s.bq = null;
    }).builder(), "tensor 'b'", "FLOAT32");
  }

  @Test
  void float16ActivationIsFloat() {
    refused(Spec.conv().with(s -> {
      s.yType = TensorType.FLOAT16;
      s.yq = null;
    }).builder(), "tensor 'y'", "FLOAT16", "output of op 0 (CONV_2D)");
  }

  @Test
  void floatInputReadByANonQuantizeOp() {
    ModelBuilder b = new ModelBuilder(NAME);
    int in = b.activation("in_f32", TensorType.FLOAT32, new Shape(1, 8), null);
    int q = b.activation("q", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.RELU, null, new int[] {in}, new int[] {q});
    refused(b.inputs(in).outputs(q), "tensor 'in_f32'", "input of op 0 (RELU)", "FLOAT32");
  }

  @Test
  void floatOutputThatIsAlsoReadInside() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int f = b.activation("f", TensorType.FLOAT32, new Shape(1, 8), null);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.DEQUANTIZE, null, new int[] {x}, new int[] {f});
    b.op(BuiltinOp.QUANTIZE, null, new int[] {f}, new int[] {y});
    refused(b.inputs(x).outputs(f, y), "tensor 'f'", "FLOAT32");
  }

  // ---- ops ----

  @Test
  void unsupportedOpNamesTheOpAndListsTheSupportedOnes() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.EXP, null, new int[] {x}, new int[] {y}).inputs(x).outputs(y);
    String msg = refused(b, "op 0 (EXP) is not supported", "supported ops:");
    for (String op : List.of("ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
        "FULLY_CONNECTED", "MAX_POOL_2D", "MEAN", "PAD", "QUANTIZE", "RESHAPE", "SOFTMAX", "TRANSPOSE_CONV")) {
      assertTrue(msg.contains(op), "lists " + op + ": " + msg);
    }
  }

  @Test
  void opNewerThanTheTableIsNamedByNumber() {
    Model base = Spec.fullyConnected().build();
    Operator op = base.operators().get(0);
    Operator future = new Operator(0, 200, 1, null, op.inputs(), op.outputs(), new OpOptions.None());
    refused(withOps(base, List.of(future)), "op 0 (BUILTIN_200) is not supported");
  }

  @Test
  void customOp() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.customOp("my_op", new int[] {x}, new int[] {y}).inputs(x).outputs(y);
    refused(b, "op 0 (CUSTOM(my_op)) is a custom op", "builtin ops only");
  }

  @Test
  void opWithoutOutputs() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {}).inputs(x).outputs(x);
    refused(b, "op 0 (RELU) has no output");
  }

  @Test
  void modelWithoutOperators() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    refused(b.inputs(x).outputs(x), "no operators");
  }

  @Test
  void missingRequiredInputMarkedAbsent() {
    refused(Spec.conv().with(s -> s.inputsOverride = new int[] {0, -1, 2}).builder(),
        "op 0 (CONV_2D) lacks its required input 1 (it has 3)");
  }

  @Test
  void tooFewInputs() {
    refused(Spec.conv().with(s -> s.inputsOverride = new int[] {0}).builder(),
        "op 0 (CONV_2D) has 1 inputs, expected 2 to 3");
  }

  @Test
  void tooManyInputs() {
    refused(Spec.fullyConnected().with(s -> s.inputsOverride = new int[] {0, 1, 2, 0}).builder(),
        "op 0 (FULLY_CONNECTED) has 4 inputs, expected 2 to 3");
  }

  @Test
  void elementwiseOpWithOneInput() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {x}, new int[] {y});
    refused(b.inputs(x).outputs(y), "op 0 (ADD) has 1 inputs, expected 2");
  }

  @Test
  void singleOutputOpWithTwoOutputs() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    int z = b.activation("z", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {y, z});
    refused(b.inputs(x).outputs(y), "op 0 (RELU) has 2 outputs, expected 1");
  }

  @Test
  void concatenationTakesManyInputsAndSplitManyOutputs() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 2), ACT);
    int c = b.activation("c", TensorType.INT8, new Shape(1, 8), ACT);
    int axis = b.constInt32("axis", new Shape(), new int[] {1}, null);
    int[] parts = new int[4];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = b.activation("p" + i, TensorType.INT8, new Shape(1, 2), ACT);
    }
    b.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(1, Activation.NONE), new int[] {x, x, x, x},
        new int[] {c});
    b.op(BuiltinOp.SPLIT, new OpOptions.Split(4), new int[] {axis, c}, parts);
    accepted(b.inputs(x).outputs(parts));
  }

  @ParameterizedTest
  @EnumSource(value = BuiltinOp.class, names = {"CONV_2D", "DEPTHWISE_CONV_2D"})
  void convFilterNotRank4(BuiltinOp op) {
    Spec s = op == BuiltinOp.CONV_2D ? Spec.conv() : Spec.depthwise();
    s.wShape = new Shape(s.wShape.dim(0) * s.wShape.dim(1), s.wShape.dim(2), s.wShape.dim(3));
    s.wq = Quantization.perTensor(0.02f, 0);
    refused(s.builder(), "op 0 (" + op + ") weights 'w' have shape", "expected rank 4");
  }

  @Test
  void fullyConnectedWeightsRank1() {
    refused(Spec.fullyConnected().with(s -> s.wShape = new Shape(32)).builder(),
        "op 0 (FULLY_CONNECTED) weights 'w' have shape 32 (rank 1), expected rank 2 or more");
  }

  @Test
  void biasScaleInvalid() {
    refused(Spec.fullyConnected().with(s -> s.bq = Quantization.perTensor(Float.NaN, 0)).builder(),
        "op 0 (FULLY_CONNECTED) bias 'b' has invalid scale NaN");
  }

  // ---- tensor types ----

  @Test
  void int32Activation() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT32, new Shape(1, 8), null);
    int y = b.activation("y", TensorType.INT32, new Shape(1, 8), null);
    b.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {x, x}, new int[] {y});
    refused(b.inputs(x).outputs(y), "tensor 'x' of op 0 (ADD) is INT32", "int8 activations only");
  }

  @Test
  void int16ActivationOutsideQuantize() {
    refused(Spec.conv().with(s -> s.yType = TensorType.INT16).builder(), "tensor 'y' of op 0 (CONV_2D) is INT16",
        "int8 activations only");
  }

  /** x(int8 1x8) -> SVDF(rank 1, 4 filters, memory 3, state of the given type) -> y(int8 1x4). */
  private static ModelBuilder svdf(TensorType stateType, Quantization stateQ) {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int wf = b.constInt8("wf", new Shape(4, 8), new byte[32], Quantization.perTensor(0.01f, 0));
    int wt = b.constant("wt", stateType, new Shape(4, 3), new byte[12 * stateType.bytes()],
        Quantization.perTensor(0.02f, 0));
    int bias = b.constInt32("b", new Shape(4), new int[4], Quantization.perTensor(0.02f * stateQ.scale(), 0));
    int state = b.variable("state", stateType, new Shape(1, 12), stateQ);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4), ACT);
    b.op(BuiltinOp.SVDF, new OpOptions.Svdf(1, Activation.RELU), new int[] {x, wf, wt, bias, state}, new int[] {y});
    return b.inputs(x).outputs(y);
  }

  @Test
  void svdfWithInt16OrInt8StateAccepted() {
    accepted(svdf(TensorType.INT16, Quantization.perTensor(0.004f, 0)));
    accepted(svdf(TensorType.INT8, Quantization.perTensor(0.5f, -50)));
  }

  @Test
  void int16StateWithNonZeroZeroPoint() {
    refused(svdf(TensorType.INT16, Quantization.perTensor(0.004f, 7)), "tensor 'state' of op 0 (SVDF)",
        "INT16 with zero point 7", "zero point 0");
  }

  @Test
  void int16InputWithNonZeroZeroPoint() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(0.001f, 12));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.QUANTIZE, null, new int[] {x}, new int[] {y});
    refused(b.inputs(x).outputs(y), "tensor 'x16' of op 0 (QUANTIZE) is INT16 with zero point 12");
  }

  @Test
  void int16SoftmaxOutputWithItsFixedZeroPointAccepted() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4), ACT);
    int p = b.activation("p", TensorType.INT16, new Shape(1, 4), Quantization.perTensor(1f / 65536, -32768));
    int o = b.activation("o", TensorType.INT32, new Shape(1, 4), Quantization.perTensor(1f / 32768, 0));
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {x}, new int[] {p});
    b.op(BuiltinOp.QUANTIZE, null, new int[] {p}, new int[] {o});
    accepted(b.inputs(x).outputs(o));
  }

  @Test
  void int32OutputOfSoftmaxRefused() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4), ACT);
    int p = b.activation("p", TensorType.INT32, new Shape(1, 4), Quantization.perTensor(1f / 65536, 0));
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {x}, new int[] {p});
    refused(b.inputs(x).outputs(p), "tensor 'p' of op 0 (SOFTMAX) is INT32");
  }

  /** A 16x8 CONV_2D: int16 in and out with zero point 0, int8 weights, int64 bias. */
  private static Spec conv16x8() {
    return Spec.conv().with(s -> {
      s.xType = TensorType.INT16;
      s.xq = Quantization.perTensor(0.001f, 0);
      s.yType = TensorType.INT16;
      s.yq = Quantization.perTensor(0.002f, 0);
      s.bType = TensorType.INT64;
    });
  }

  @Test
  void conv16x8Accepted() {
    accepted(conv16x8().builder());
  }

  @Test
  void conv16x8WithInt32BiasRefused() {
    refused(conv16x8().with(s -> s.bType = TensorType.INT32).builder(), "op 0 (CONV_2D) bias 'b' is INT32",
        "int64 bias");
  }

  @Test
  void conv16x8WithNonZeroZeroPointRefused() {
    refused(conv16x8().with(s -> s.yq = Quantization.perTensor(0.002f, 5)).builder(),
        "tensor 'y' of op 0 (CONV_2D) is INT16 with zero point 5", "zero point 0");
  }

  @Test
  void int16MaximumRefused() {
    ModelBuilder b = new ModelBuilder(NAME);
    Quantization q = Quantization.perTensor(0.001f, 0);
    int x = b.activation("x", TensorType.INT16, new Shape(1, 8), q);
    int y = b.activation("y", TensorType.INT16, new Shape(1, 8), q);
    b.op(BuiltinOp.MAXIMUM, null, new int[] {x, x}, new int[] {y});
    refused(b.inputs(x).outputs(y), "tensor 'x' of op 0 (MAXIMUM) is INT16", "int16 for");
  }

  @Test
  void stateTensorReadByAnotherOp() {
    ModelBuilder b = svdf(TensorType.INT16, Quantization.perTensor(0.004f, 0));
    Model m = b.build();
    int state = 4;
    int z = b.activation("z", TensorType.INT8, new Shape(1, 12), ACT);
    b.op(BuiltinOp.QUANTIZE, null, new int[] {state}, new int[] {z});
    refused(b.outputs(3 + 2, z), "tensor 'state' is a variable (state) tensor used by op 1 (QUANTIZE)", "SVDF");
    assertNull(ModelChecker.verdict(m));
  }

  @Test
  void uint8Activation() {
    refused(Spec.conv().with(s -> s.xType = TensorType.UINT8).builder(), "tensor 'x' of op 0 (CONV_2D) is UINT8");
  }

  @Test
  void variableTensor() {
    Model base = Spec.fullyConnected().build();
    List<Tensor> tensors = new ArrayList<>(base.tensors());
    Tensor y = tensors.get(3);
    tensors.set(3, new Tensor(y.index(), "state", y.type(), y.shape(), y.quantization(), null, true));
    Model m = new Model(NAME, 3, "", tensors, base.operators(), base.inputs(), base.outputs(), base.metadata());
    refused(m, "tensor 'state' is a variable (state) tensor", "stateless");
  }

  // ---- quantization ----

  @Test
  void missingQuantization() {
    refused(Spec.conv().with(s -> s.yq = null).builder(),
        "tensor 'y' of op 0 (CONV_2D) is INT8 without quantization parameters");
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, -0f, -0.5f, -1e-30f})
  void scaleNotPositive(float scale) {
    refused(Spec.conv().with(s -> s.xq = Quantization.perTensor(scale, 0)).builder(), "tensor 'x'",
        "invalid scale " + scale, "finite and > 0");
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void scaleNotFinite(float scale) {
    refused(Spec.conv().with(s -> s.yq = Quantization.perTensor(scale, 0)).builder(), "tensor 'y'",
        "invalid scale " + scale);
  }

  @Test
  void nonFiniteScaleInOnePerChannelScale() {
    List<Float> scales = new ArrayList<>(List.of(0.1f, Float.NaN, 0.3f));
    refused(Spec.conv().with(s -> s.wq = new Quantization(scales, List.of(0L, 0L, 0L), 0)).builder(),
        "tensor 'w'", "invalid scale NaN");
  }

  @ParameterizedTest
  @ValueSource(longs = {128, -129, 1000, Long.MIN_VALUE})
  void int8ZeroPointOutOfRange(long zp) {
    refused(Spec.conv().with(s -> s.yq = Quantization.perTensor(0.25f, zp)).builder(), "tensor 'y'",
        "zero point " + zp + " outside [-128, 127]");
  }

  @Test
  void int16ZeroPointOutOfRange() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x16", TensorType.INT16, new Shape(1, 8), Quantization.perTensor(0.001f, 40000));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.QUANTIZE, null, new int[] {x}, new int[] {y});
    refused(b.inputs(x).outputs(y), "tensor 'x16'", "zero point 40000 outside [-32768, 32767]");
  }

  @Test
  void perChannelCountMismatch() {
    refused(Spec.conv().with(s -> s.wq = perChannel(2, 0)).builder(), "tensor 'w'",
        "2 per-channel scales but dimension 0 has size 3");
  }

  @Test
  void zeroPointCountMismatch() {
    refused(Spec.conv().with(s -> s.wq = new Quantization(List.of(0.1f, 0.2f, 0.3f), List.of(0L, 0L), 0))
        .builder(), "tensor 'w'", "3 scales but 2 zero points");
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 7, -1})
  void quantizedDimensionOutOfRange(int axis) {
    refused(Spec.conv().with(s -> s.wq = new Quantization(perChannel(3, 0).scales(), List.of(0L, 0L, 0L), axis))
        .builder(), "tensor 'w'", "quantized along dimension " + axis + " but has rank 4");
  }

  @Test
  void perChannelActivation() {
    refused(Spec.conv().with(s -> s.yq = perChannel(3, 3)).builder(), "tensor 'y'",
        "activation with per-channel quantization");
  }

  @ParameterizedTest
  @EnumSource(value = BuiltinOp.class, names = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"})
  void weightsZeroPointNotZero(BuiltinOp op) {
    Spec s = switch (op) {
      case CONV_2D -> Spec.conv();
      case DEPTHWISE_CONV_2D -> Spec.depthwise();
      default -> Spec.fullyConnected();
    };
    Quantization q = s.wq;
    List<Long> zps = new ArrayList<>(q.zeroPoints());
    zps.set(zps.size() - 1, 3L);
    s.wq = new Quantization(q.scales(), zps, q.quantizedDimension());
    refused(s.builder(), "op 0 (" + op + ") weights 'w' have zero point 3", "symmetric");
  }

  @Test
  void weightsNotInt8() {
    refused(Spec.fullyConnected().with(s -> {
      s.wType = TensorType.INT16;
      s.wq = Quantization.perTensor(0.02f, 0);
    }).builder(), "op 0 (FULLY_CONNECTED) has INT16 weights 'w'", "int8 weights");
  }

  @Test
  void biasNotInt32() {
    refused(Spec.conv().with(s -> {
      s.bType = TensorType.INT8;
      s.bq = Quantization.perTensor(0.1f, 0);
    }).builder(), "op 0 (CONV_2D) bias 'b' is INT8", "int32 bias");
  }

  @Test
  void int64BiasOf16x8Models() {
    refused(Spec.fullyConnected().with(s -> s.bType = TensorType.INT64).builder(),
        "op 0 (FULLY_CONNECTED) bias 'b' is INT64");
  }

  @Test
  void biasZeroPointNotZero() {
    refused(Spec.depthwise().with(s -> s.bq = new Quantization(List.of(0.1f, 0.2f), List.of(0L, 5L), 0))
        .builder(), "op 0 (DEPTHWISE_CONV_2D) bias 'b' has zero point 5");
  }

  // ---- graph order ----

  @Test
  void opReadsATensorBeforeItIsWritten() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int mid = b.activation("mid", TensorType.INT8, new Shape(1, 8), ACT);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.RELU, null, new int[] {mid}, new int[] {y}); // reads mid ...
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {mid}); // ... which is written only here
    refused(b.inputs(x).outputs(y), "op 0 (RELU) reads tensor 'mid' before any op writes it");
  }

  @Test
  void modelOutputNeverWritten() {
    ModelBuilder b = new ModelBuilder(NAME);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), ACT);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 8), ACT);
    int orphan = b.activation("orphan", TensorType.INT8, new Shape(1, 8), ACT);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {y});
    refused(b.inputs(x).outputs(y, orphan), "model output 'orphan' is never written");
  }

  @Test
  void manyReadersOfOneFloatInputAreCheckedInLinearTime() {
    // 50,000 QUANTIZE ops reading one float32 model input (a few hundred KB as a file): checking each reference by
    // rescanning every op is 2.5 billion steps; the checker must stay linear in the model's size
    int n = 50_000;
    List<Tensor> tensors = new ArrayList<>();
    tensors.add(new Tensor(0, "in", TensorType.FLOAT32, new Shape(1, 1), null, null, false));
    List<Operator> ops = new ArrayList<>();
    List<Integer> outputs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tensors.add(new Tensor(i, "q" + i, TensorType.INT8, new Shape(1, 1), ACT, null, false));
      ops.add(new Operator(i - 1, BuiltinOp.QUANTIZE.code(), 1, null, List.of(0), List.of(i), new OpOptions.None()));
      outputs.add(i);
    }
    Model m = new Model(NAME, 3, "", tensors, ops, List.of(0), outputs, java.util.Map.of());
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
        () -> ModelChecker.check(m), "checking a 50,000-op model must take well under 5 s");
  }

  private static Model withOps(Model base, List<Operator> ops) {
    return new Model(base.source(), base.schemaVersion(), base.description(), base.tensors(), ops, base.inputs(),
        base.outputs(), base.metadata());
  }
}
