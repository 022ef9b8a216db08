package io.tinyforge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.lower.LoweredModel;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.tflite.Fixtures;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.tflite.TfliteWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validation every verb runs: each test takes the bundled digits model, which the checker accepts, changes one
 * thing the checker lets through but a later stage cannot handle (the cases found by fuzzing the CLI), and expects
 * one line naming the tensor or op. Each mutated model also goes through the writer and reader, so the verdict
 * holds for the file as well.
 */
class ModelValidatorTest {

  private static Model digits() {
    return Fixtures.read(Fixtures.digits());
  }

  private static Operator firstConv(Model m) {
    return m.operators().stream().filter(o -> o.op() == BuiltinOp.CONV_2D).findFirst().orElseThrow();
  }

  private static Model withTensor(Model m, int index, UnaryOperator<Tensor> change) {
    List<Tensor> ts = new ArrayList<>(m.tensors());
    ts.set(index, change.apply(ts.get(index)));
    return new Model(m.source(), m.schemaVersion(), m.description(), ts, m.operators(), m.inputs(), m.outputs(),
        m.metadata());
  }

  private static Tensor scaled(Tensor t, float scale) {
    return new Tensor(t.index(), t.name(), t.type(), t.shape(),
        Quantization.perTensor(scale, t.quantization().zeroPoint()), t.data(), t.isVariable());
  }

  /** Refused as built and after a trip through the file format; returns the message. */
  private static String refused(Model m) {
    ModelException e = assertThrows(ModelException.class, () -> ModelValidator.validate(m));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), msg);
    assertTrue(msg.startsWith(m.source() + ": "), msg);
    Model again = TfliteReader.read(TfliteWriter.write(m), m.source());
    assertEquals(msg, ModelValidator.verdict(again), "the file gets the same verdict");
    return msg;
  }

  @Test
  void theBundledModelIsAcceptedAndLowered() {
    Model m = digits();
    assertNull(ModelValidator.verdict(m));
    LoweredModel lowered = ModelValidator.validate(m);
    assertEquals(m.operators().size(), lowered.ops().size());
  }

  @ParameterizedTest
  @ValueSource(floats = {1e-45f, 1e-30f, 1e-20f})
  void anOutputScaleWhoseShiftNoKernelCanApplyIsRefused(float scale) {
    Model m = digits();
    Operator fc = m.operators().stream().filter(o -> o.op() == BuiltinOp.FULLY_CONNECTED).findFirst().orElseThrow();
    int out = fc.output(0);
    assertNull(ModelChecker.verdict(withTensor(m, out, t -> scaled(t, scale))), "the checker lets it through");
    String msg = refused(withTensor(m, out, t -> scaled(t, scale)));
    assertTrue(msg.contains("op " + fc.index() + " (FULLY_CONNECTED) needs a rescaling shift of"), msg);
  }

  @ParameterizedTest
  @ValueSource(floats = {1e10f, 1e30f, 1e12f})
  void anInputScaleWhoseShiftNoKernelCanApplyIsRefused(float scale) {
    Model m = digits();
    int in = firstConv(m).input(0);
    assertTrue(m.inputs().contains(in), "the conv reads the model input");
    assertNull(ModelChecker.verdict(withTensor(m, in, t -> scaled(t, scale))), "the checker lets it through");
    String msg = refused(withTensor(m, in, t -> scaled(t, scale)));
    assertTrue(msg.contains("op 0 (CONV_2D) needs a rescaling shift of"), msg);
    assertTrue(msg.contains("re-quantize the model"), msg);
  }

  @Test
  void anOrdinaryScaleChangeIsStillAccepted() {
    Model m = digits();
    int in = firstConv(m).input(0);
    assertNull(ModelValidator.verdict(withTensor(m, in, t -> scaled(t, t.quantization().scale() * 4))));
  }

  @Test
  void anOpOutputWithConstantDataIsRefused() {
    Model m = digits();
    int out = firstConv(m).output(0);
    Model bad = withTensor(m, out, t -> new Tensor(t.index(), t.name(), t.type(), t.shape(), t.quantization(),
        ByteBuffer.allocate(t.byteSize()), false));
    String msg = refused(bad);
    assertTrue(msg.contains("(output of op 0 (CONV_2D)) has constant data"), msg);
  }

  @Test
  void weightsWithoutConstantDataAreRefused() {
    Model m = digits();
    Operator conv = firstConv(m);
    int weights = conv.input(1);
    // the weights become a model input: an int8 activation that is ready before op 0, as the checker sees it
    Model noData = withTensor(m, weights, t -> new Tensor(t.index(), t.name(), t.type(), t.shape(),
        Quantization.perTensor(0.01f, 0), null, false));
    List<Integer> inputs = new ArrayList<>(m.inputs());
    inputs.add(weights);
    Model bad = new Model(m.source(), m.schemaVersion(), m.description(), noData.tensors(), m.operators(), inputs,
        m.outputs(), m.metadata());
    String msg = refused(bad);
    assertTrue(msg.contains("op 0 (CONV_2D) weights"), msg);
    assertTrue(msg.contains("no constant data"), msg);
  }

  @Test
  void aModelInputListedTwiceIsRefused() {
    Model m = digits();
    List<Integer> inputs = List.of(m.inputs().get(0), m.inputs().get(0));
    Model bad = new Model(m.source(), m.schemaVersion(), m.description(), m.tensors(), m.operators(), inputs,
        m.outputs(), m.metadata());
    assertTrue(refused(bad).contains("listed twice as a model input"));
  }

  @Test
  void aConstantModelOutputIsRefused() {
    Model m = digits();
    int weights = firstConv(m).input(1);
    Model bad = new Model(m.source(), m.schemaVersion(), m.description(), m.tensors(), m.operators(), m.inputs(),
        List.of(weights), m.metadata());
    assertTrue(refused(bad).contains("is a constant, not computed by the model"));
  }

  @Test
  void aZeroDimensionIsRefused() {
    Model m = digits();
    int out = firstConv(m).output(0);
    Model bad = withTensor(m, out, t -> {
      int[] d = t.shape().toArray();
      d[1] = 0;
      return new Tensor(t.index(), t.name(), t.type(), new Shape(d), t.quantization(), null, false);
    });
    String msg = refused(bad);
    assertTrue(msg.contains("every dimension >= 1"), msg);
  }

  @Test
  void aHugeActivationIsRefusedNamingTheLimit() {
    Model m = digits();
    int out = firstConv(m).output(0);
    Model bad = withTensor(m, out, t -> new Tensor(t.index(), t.name(), t.type(), new Shape(1, 8192, 8192, 2),
        t.quantization(), null, false));
    String msg = refused(bad);
    assertTrue(msg.contains("67,108,864 bytes, tinyforge's limit for one tensor"), msg);
  }

  @Test
  void activationsTogetherAreBoundedBeforeAnyAllocation() {
    // five 60 MB activations each pass the one-tensor limit, not together
    Model m = digits();
    for (Operator op : m.operators().subList(0, 5)) {
      m = withTensor(m, op.output(0), t -> new Tensor(t.index(), t.name(), t.type(), new Shape(60 << 20),
          t.quantization(), null, false));
    }
    String msg = refused(m);
    assertTrue(msg.contains("the activations need more than 268,435,456 bytes together"), msg);
  }

  @Test
  void aStateTensorAsModelOutputIsRefused() {
    Fixtures.assumeSharedModels();
    Model m = Fixtures.read(Fixtures.shared("tflm_keyword_scrambled_int16io.tflite"));
    assertNull(ModelValidator.verdict(m), "the SVDF keyword model itself compiles");
    Tensor state = m.tensors().stream().filter(Tensor::isVariable).findFirst().orElseThrow();
    Model bad = new Model(m.source(), m.schemaVersion(), m.description(), m.tensors(), m.operators(), m.inputs(),
        List.of(state.index()), m.metadata());
    assertTrue(refused(bad).contains("model output " + state.label() + " is a state (variable) tensor"));
  }

  @Test
  void aMultiplierThatOverflowsToInfinityIsRefusedNamingTheOp() {
    // float scales near 3e38 make some kernels' real multipliers overflow to infinity before any shift is known
    ModelException e = assertThrows(ModelException.class,
        () -> io.tinyforge.lower.QuantMath.quantizeMultiplier(Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().contains("scales are out of proportion"), e.getMessage());
    Model m = digits();
    int in = firstConv(m).input(0);
    String msg = refused(withTensor(m, in, t -> scaled(t, Float.MAX_VALUE)));
    assertTrue(msg.startsWith(m.source() + ": op 0 (CONV_2D)"), msg);
  }
}
