package io.tinyforge.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The writer and the reader agree: a model built in Java, written and read back, is the same IR (tensors with
 * their constant bytes, quantization and flags, ops with every option field, I/O, metadata); and every real model
 * survives read -> write -> read unchanged.
 */
class WriterRoundTripTest {
  private static final int RANDOM_MODELS = 300;
  private static final long SEED = 0x7f0e5eedL;

  @Test
  void seededRandomModelsRoundTrip() {
    Set<Class<?>> optionTypes = new HashSet<>();
    boolean sawPerChannel = false;
    boolean sawPerTensor = false;
    boolean sawAbsentInput = false;
    boolean sawMetadata = false;
    boolean sawVariable = false;
    boolean sawWideOpcode = false;
    for (int i = 0; i < RANDOM_MODELS; i++) {
      long seed = SEED + i;
      Model built = RandomModels.generate(seed);
      Model read = TfliteReader.readUnfolded(TfliteWriter.write(built), built.source());
      assertModelEquals(built, read, "seed " + seed);
      for (Operator op : built.operators()) {
        optionTypes.add(op.options().getClass());
        sawAbsentInput |= op.inputs().contains(-1);
        sawWideOpcode |= op.opcode() > 127;
      }
      for (Tensor t : built.tensors()) {
        sawPerChannel |= t.quantization() != null && t.quantization().isPerChannel();
        sawPerTensor |= t.quantization() != null && !t.quantization().isPerChannel();
        sawVariable |= t.isVariable();
      }
      sawMetadata |= !built.metadata().isEmpty();
    }
    Set<Class<?>> all = Arrays.stream(OpOptions.class.getPermittedSubclasses()).collect(Collectors.toSet());
    assertEquals(all, optionTypes, "every OpOptions record type is covered");
    assertTrue(sawPerChannel && sawPerTensor && sawAbsentInput && sawMetadata && sawVariable && sawWideOpcode,
        "coverage: per-channel " + sawPerChannel + ", per-tensor " + sawPerTensor + ", absent input "
            + sawAbsentInput + ", metadata " + sawMetadata + ", variable " + sawVariable + ", opcode > 127 "
            + sawWideOpcode);
  }

  @Test
  void generatorIsDeterministic() {
    assertArrayEquals(TfliteWriter.write(RandomModels.generate(42)), TfliteWriter.write(RandomModels.generate(42)));
  }

  @Test
  void modelBuilderBytesReadBackAsItsIr() {
    Quantization perChannel = new Quantization(List.of(0.5f, 0.25f, 0.125f), List.of(0L, 0L, 0L), 0);
    ModelBuilder b = new ModelBuilder("builder");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 5, 5, 2), Quantization.perTensor(0.5f, -3));
    int w = b.constInt8("w", new Shape(3, 3, 3, 2), new byte[54], perChannel);
    int bias = b.constInt32("b", new Shape(3), new int[] {1, -2, 3}, null);
    int y = b.activation("y", TensorType.INT8, new Shape(1, 5, 5, 3), Quantization.perTensor(0.25f, 1));
    int z = b.activation("z", TensorType.INT8, new Shape(1, 5, 5, 3), Quantization.perTensor(0.25f, 1));
    b.op(BuiltinOp.CONV_2D, 3, new OpOptions.Conv2D(Padding.VALID, 2, 3, io.tinyforge.model.Activation.RELU6, 4, 5),
        new int[] {x, w, bias}, new int[] {y});
    b.op(BuiltinOp.FULLY_CONNECTED, new OpOptions.FullyConnected(io.tinyforge.model.Activation.NONE, 1, true),
        new int[] {y, w, -1}, new int[] {z});
    b.inputs(x).outputs(z).metadata("min_runtime_version", "1.5.0".getBytes());
    Model read = TfliteReader.readUnfolded(b.toBytes(), "builder");
    assertModelEquals(b.build(), read, "builder");
    assertEquals(-1, read.operators().get(1).input(2));
    assertEquals(3, read.operators().get(0).version());
  }

  @Test
  void optionsWrittenAsDefaultsStillReadBack() {
    // all-zero / all-false options: the writer must store them (or the reader default them) identically
    ModelBuilder b = new ModelBuilder("defaults");
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4), null);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 0, 0, io.tinyforge.model.Activation.NONE, 0, 0),
        new int[] {x}, new int[] {x});
    b.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(0f), new int[] {x}, new int[] {x});
    b.op(BuiltinOp.RESHAPE, new OpOptions.Reshape(List.of()), new int[] {x}, new int[] {x});
    b.inputs(x).outputs(x);
    assertModelEquals(b.build(), TfliteReader.readUnfolded(b.toBytes(), "defaults"), "defaults");
  }

  @Test
  void digitsModelRoundTrips() {
    Path p = Fixtures.digits();
    roundTrip(p.toString(), Fixtures.bytes(p));
  }

  @TestFactory
  Stream<DynamicTest> sharedModelsRoundTrip() throws IOException {
    Fixtures.assumeSharedModels();
    List<Path> files;
    try (Stream<Path> s = Files.list(Fixtures.sharedModelsDir())) {
      files = s.filter(p -> p.toString().endsWith(".tflite")).sorted().collect(Collectors.toList());
    }
    assertTrue(files.size() >= 14, "expected at least 14 shared .tflite files, got " + files.size());
    List<DynamicTest> tests = new ArrayList<>();
    for (Path p : files) {
      tests.add(dynamicTest(p.getFileName().toString(), () -> roundTrip(p.toString(), Fixtures.bytes(p))));
    }
    return tests.stream();
  }

  private static void roundTrip(String source, byte[] original) {
    Model first = TfliteReader.read(original, source);
    byte[] written = TfliteWriter.write(first);
    Model second = TfliteReader.read(written, source);
    assertModelEquals(first, second, source);
    // writing is a function of the IR: writing the re-read model gives the same bytes
    assertArrayEquals(written, TfliteWriter.write(second), source + ": writer output is not stable");
  }

  /** Field-by-field comparison so a failure says which tensor, op or field differs; then the records as a whole. */
  static void assertModelEquals(Model expected, Model actual, String ctx) {
    assertEquals(expected.source(), actual.source(), ctx + ": source");
    assertEquals(expected.schemaVersion(), actual.schemaVersion(), ctx + ": schema version");
    assertEquals(expected.description(), actual.description(), ctx + ": description");
    assertEquals(expected.tensors().size(), actual.tensors().size(), ctx + ": tensor count");
    for (int i = 0; i < expected.tensors().size(); i++) {
      Tensor e = expected.tensor(i);
      Tensor a = actual.tensor(i);
      String t = ctx + ": tensor " + i;
      assertEquals(e.index(), a.index(), t + " index");
      assertEquals(e.name(), a.name(), t + " name");
      assertEquals(e.type(), a.type(), t + " type");
      assertEquals(e.shape(), a.shape(), t + " shape");
      assertEquals(e.quantization(), a.quantization(), t + " quantization");
      assertEquals(e.isVariable(), a.isVariable(), t + " is_variable");
      assertEquals(e.isConstant(), a.isConstant(), t + " constant");
      if (e.isConstant()) {
        assertArrayEquals(bytes(e.constantData()), bytes(a.constantData()), t + " constant bytes");
      }
      assertEquals(e, a, t);
    }
    assertEquals(expected.operators().size(), actual.operators().size(), ctx + ": op count");
    for (int i = 0; i < expected.operators().size(); i++) {
      Operator e = expected.operators().get(i);
      Operator a = actual.operators().get(i);
      String o = ctx + ": op " + i + " (" + e.opName() + ")";
      assertEquals(e.opcode(), a.opcode(), o + " opcode");
      assertEquals(e.version(), a.version(), o + " version");
      assertEquals(e.customCode(), a.customCode(), o + " custom code");
      assertEquals(e.inputs(), a.inputs(), o + " inputs");
      assertEquals(e.outputs(), a.outputs(), o + " outputs");
      assertEquals(e.options(), a.options(), o + " options");
      assertEquals(e, a, o);
    }
    assertEquals(expected.inputs(), actual.inputs(), ctx + ": model inputs");
    assertEquals(expected.outputs(), actual.outputs(), ctx + ": model outputs");
    assertEquals(expected.metadata().keySet(), actual.metadata().keySet(), ctx + ": metadata keys");
    for (Map.Entry<String, ByteBuffer> m : expected.metadata().entrySet()) {
      assertArrayEquals(bytes(m.getValue()), bytes(actual.metadata().get(m.getKey())),
          ctx + ": metadata " + m.getKey());
    }
    assertEquals(expected, actual, ctx);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
