package io.tinyforge.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per way a .tflite can be broken. Each starts from a valid model (ModelBuilder output, or a tiny raw
 * FlatBufferBuilder file), breaks exactly one thing by patching bytes found through the schema's field ids, and
 * checks the reader refuses it with one line that names the model and the broken thing.
 */
class ReaderErrorsTest {
  private static final String SOURCE = "broken.tflite";

  // tensors of the base model
  private static final int X = 0;
  private static final int W = 1;

  private byte[] base;

  /** x[1,4,4,2] -> CONV_2D(w[3,1,1,2], bias[3]) -> y -> RELU -> z; buffers: 0 empty, 1 = w, 2 = bias. */
  private static ModelBuilder baseBuilder() {
    Quantization q = Quantization.perTensor(0.5f, 0);
    ModelBuilder b = new ModelBuilder(SOURCE);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 4, 4, 2), q);
    int w = b.constInt8("w", new Shape(3, 1, 1, 2), new byte[] {1, 2, 3, 4, 5, 6}, q);
    int bias = b.constInt32("bias", new Shape(3), new int[] {7, 8, 9}, Quantization.perTensor(0.25f, 0));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4, 4, 3), q);
    int z = b.activation("z", TensorType.INT8, new Shape(1, 4, 4, 3), q);
    b.op(BuiltinOp.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.RELU, 1, 1), new int[] {x, w, bias},
        new int[] {y});
    b.op(BuiltinOp.RELU, null, new int[] {y}, new int[] {z});
    return b.inputs(x).outputs(z);
  }

  @BeforeEach
  void setUp() {
    base = baseBuilder().toBytes();
  }

  private FlatbufferPatch patch() {
    return new FlatbufferPatch(base);
  }

  /** Reads the bytes, expects a refusal, and checks it is one line naming the model and every fragment. */
  private static String refused(byte[] bytes, String... fragments) {
    ModelException e = assertThrows(ModelException.class, () -> TfliteReader.read(bytes, SOURCE));
    String msg = e.getMessage();
    assertTrue(msg.startsWith(SOURCE + ": "), "message names the model: " + msg);
    assertFalse(msg.contains("\n"), "one line: " + msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), "message should contain '" + f + "': " + msg);
    }
    assertEquals(2, e.exitCode());
    return msg;
  }

  @Test
  void baseModelReads() {
    Model m = TfliteReader.read(base, SOURCE);
    assertEquals(5, m.tensors().size());
    assertEquals(2, m.operators().size());
    assertEquals(BuiltinOp.CONV_2D, m.operators().get(0).op());
  }

  // ---- not a TFLite file ----

  @Test
  void emptyFile() {
    refused(new byte[0], "not a TFLite flatbuffer", "only 0 bytes");
  }

  @Test
  void shorterThanAHeader() {
    refused(new byte[] {0x10, 0, 0, 0, 'T', 'F'}, "not a TFLite flatbuffer", "only 6 bytes");
  }

  @Test
  void notAFlatbufferAtAll() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    refused(png, "wrong file identifier", "\\x0d\\x0a\\x1a\\x0a", "not a TFLite model");
    refused("just some text that is long enough".getBytes(StandardCharsets.US_ASCII), "wrong file identifier",
        "' som'", "expected 'TFL3'");
  }

  @Test
  void wrongIdentifier() {
    FlatbufferPatch p = patch();
    p.putByte(7, '2');
    refused(p.bytes, "wrong file identifier 'TFL2'", "expected 'TFL3'");
  }

  // ---- structure: offsets and lengths ----

  @Test
  void truncatedInTheMiddle() {
    refused(Arrays.copyOf(base, base.length / 2), "truncated");
  }

  @Test
  void truncatedAtManyPoints() {
    // every cut of the file must be refused cleanly (no other exception type)
    for (int cut = 0; cut < base.length; cut += 7) {
      byte[] b = Arrays.copyOf(base, cut);
      assertThrows(ModelException.class, () -> TfliteReader.read(b, SOURCE), "cut at " + cut);
    }
  }

  @Test
  void rootOffsetPastTheEnd() {
    FlatbufferPatch p = patch();
    p.putInt(0, base.length + 100);
    refused(p.bytes, "root table offset " + (base.length + 100), "past the end");
  }

  @Test
  void rootVtableOutOfRange() {
    FlatbufferPatch p = patch();
    p.putInt(p.root(), -0x10000000);
    refused(p.bytes, "Model: vtable offset out of range");
  }

  @Test
  void tableOffsetPastTheEnd() {
    FlatbufferPatch p = patch();
    int subgraphs = p.vector(p.root(), FlatbufferPatch.MODEL_SUBGRAPHS);
    p.putInt(p.elementSlot(subgraphs, 0), 0x7fff0000);
    refused(p.bytes, "SubGraph 0", "past the end of the file");
  }

  @Test
  void fieldOffsetPastTheEnd() {
    FlatbufferPatch p = patch();
    int field = p.field(p.subgraph(), FlatbufferPatch.SUBGRAPH_TENSORS);
    p.putInt(field, 0x40000000);
    refused(p.bytes, "SubGraph 0 field 0", "past the end of the file");
  }

  @Test
  void vectorLengthPastTheEnd() {
    FlatbufferPatch p = patch();
    int tensors = p.vector(p.subgraph(), FlatbufferPatch.SUBGRAPH_TENSORS);
    p.putInt(tensors, 0x01000000);
    refused(p.bytes, "SubGraph 0 vector field 0", "outside the file (" + base.length + " bytes)");
  }

  @Test
  void bufferShorterThanItsTensor() {
    FlatbufferPatch p = patch();
    int data = p.vector(p.buffer(1), FlatbufferPatch.BUFFER_DATA);
    assertEquals(6, p.getInt(data), "precondition: buffer 1 holds w's 6 bytes");
    p.putInt(data, 4);
    refused(p.bytes, "tensor 1 'w'", "needs 6 bytes but its buffer 1 holds 4", "truncated or corrupt");
  }

  @Test
  void bufferOffsetOutsideTheFile() {
    refused(rawModelWithExternalBuffer(1_000_000L, 16, 0), "buffer 0 points outside the file",
        "offset 1000000, size 16");
    refused(rawModelWithExternalBuffer(64L, -5, 0), "buffer 0 points outside the file", "size -5");
  }

  @Test
  void bufferSizeThatOverflowsOffsetPlusSize() {
    // offset + size wraps around in 64 bits: the range check must not be fooled into slicing
    refused(rawModelWithExternalBuffer(64L, Long.MAX_VALUE - 10, 0), "buffer 0 points outside the file");
    refused(rawModelWithExternalBuffer(Long.MAX_VALUE, 16, 0), "buffer 0 points outside the file");
  }

  @Test
  void externalBufferInsideTheFileIsRead() {
    // control for the test above: a buffer stored after the flatbuffer (offset/size fields) is read in place
    byte[] payload = {11, 22, 33, 44, 55, 66, 77, 88};
    byte[] file = rawModelWithExternalBuffer(-1, payload.length, payload.length);
    System.arraycopy(payload, 0, file, file.length - payload.length, payload.length);
    Model m = TfliteReader.read(file, SOURCE);
    byte[] got = new byte[8];
    m.tensor(0).constantData().get(got);
    assertArrayEquals(payload, got);
  }

  @Test
  void tensorNamesABufferThatDoesNotExist() {
    FlatbufferPatch p = patch();
    int field = p.field(p.tensor(W), 2);
    assertEquals(1, p.getInt(field), "precondition: w uses buffer 1");
    p.putInt(field, 50);
    refused(p.bytes, "tensor 1 'w' names buffer 50", "3 buffers");
  }

  // ---- subgraphs ----

  @Test
  void moreThanOneSubgraph() {
    FlatbufferPatch p = patch();
    p.putInt(p.vector(p.root(), FlatbufferPatch.MODEL_SUBGRAPHS), 2);
    refused(p.bytes, "2 subgraphs", "single-subgraph");
  }

  @Test
  void noSubgraph() {
    FlatbufferPatch p = patch();
    p.putInt(p.vector(p.root(), FlatbufferPatch.MODEL_SUBGRAPHS), 0);
    refused(p.bytes, "no subgraph");
  }

  // ---- shapes and types ----

  @Test
  void shapeProductOverflows() {
    ModelBuilder b = new ModelBuilder(SOURCE);
    int x = b.activation("huge", TensorType.INT8, new Shape(65536, 65536), null);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {x}).inputs(x).outputs(x);
    refused(b.toBytes(), "tensor 0 'huge'", "element count overflows");
  }

  @Test
  void shapeTimesElementSizeOverflows() {
    // 600M elements fit an int, but not as 4-byte INT32 bytes
    ModelBuilder b = new ModelBuilder(SOURCE);
    int x = b.activation("wide", TensorType.INT32, new Shape(20000, 30000), null);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {x}).inputs(x).outputs(x);
    refused(b.toBytes(), "tensor 0 'wide'", "overflows");
  }

  @Test
  void negativeDimension() {
    ModelBuilder b = new ModelBuilder(SOURCE);
    int x = b.activation("dyn", TensorType.INT8, new Shape(1, -1, 4), null);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {x}).inputs(x).outputs(x);
    refused(b.toBytes(), "tensor 0 'dyn'", "negative or dynamic dimension (-1)");
  }

  @Test
  void controlCharactersInANameAreEscaped() {
    ModelBuilder b = new ModelBuilder(SOURCE);
    int x = b.activation("evil\nname\r", TensorType.INT8, new Shape(1, -3), null);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {x}).inputs(x).outputs(x);
    refused(b.toBytes(), "tensor 0 'evil\\x0aname\\x0d'", "negative or dynamic dimension (-3)");
  }

  @Test
  void rankAboveEight() {
    ModelBuilder b = new ModelBuilder(SOURCE);
    int x = b.activation("deep", TensorType.INT8, new Shape(1, 1, 1, 1, 1, 1, 1, 1, 1), null);
    b.op(BuiltinOp.RELU, null, new int[] {x}, new int[] {x}).inputs(x).outputs(x);
    refused(b.toBytes(), "tensor 0 'deep'", "rank 9");
  }

  @Test
  void unknownTensorType() {
    FlatbufferPatch p = patch();
    int field = p.field(p.tensor(X), FlatbufferPatch.TENSOR_TYPE);
    assertEquals(TensorType.INT8.code(), p.bytes[field], "precondition: x is INT8");
    p.putByte(field, 99);
    refused(p.bytes, "tensor 0 'x'", "unknown element type code 99");
  }

  // ---- operators ----

  @Test
  void opcodeIndexOutOfRange() {
    FlatbufferPatch p = patch();
    int field = p.field(p.operator(1), FlatbufferPatch.OP_OPCODE_INDEX);
    assertEquals(1, p.getInt(field), "precondition: op 1 uses operator code 1");
    p.putInt(field, 7);
    refused(p.bytes, "op 1", "opcode index 7 is out of range (2 operator codes)");
  }

  @Test
  void opInputNamesAMissingTensor() {
    ModelBuilder b = baseBuilder();
    b.op(BuiltinOp.RELU, null, new int[] {9}, new int[] {4});
    refused(b.toBytes(), "op 2 (RELU) input names tensor 9", "has 5 tensors");
  }

  @Test
  void opOutputNamesAMissingTensor() {
    ModelBuilder b = baseBuilder();
    b.op(BuiltinOp.RELU, null, new int[] {4}, new int[] {5});
    refused(b.toBytes(), "op 2 (RELU) output names tensor 5", "has 5 tensors");
  }

  @Test
  void opInputBelowMinusOne() {
    ModelBuilder b = baseBuilder();
    b.op(BuiltinOp.RELU, null, new int[] {-2}, new int[] {4});
    refused(b.toBytes(), "op 2 (RELU) input names tensor -2");
  }

  @Test
  void opOutputIsAbsent() {
    // -1 marks an absent optional input; an output must be a tensor (the checker and stats index it)
    ModelBuilder b = baseBuilder();
    b.op(BuiltinOp.RELU, null, new int[] {4}, new int[] {-1});
    refused(b.toBytes(), "op 2 (RELU) output is -1", "every op output must be a tensor");
  }

  @Test
  void subgraphOutputNamesAMissingTensor() {
    ModelBuilder b = baseBuilder().outputs(4, 12);
    refused(b.toBytes(), "subgraph output names tensor 12", "has 5 tensors");
  }

  @Test
  void subgraphInputIsAbsent() {
    ModelBuilder b = baseBuilder().inputs(-1);
    refused(b.toBytes(), "subgraph input or output is -1");
  }

  @Test
  void unknownActivationCode() {
    FlatbufferPatch p = patch();
    int options = p.deref(p.field(p.operator(0), FlatbufferPatch.OP_OPTIONS));
    int act = p.field(options, 3); // Conv2DOptions.fused_activation_function
    assertEquals(Activation.RELU.code(), p.bytes[act], "precondition: conv has RELU");
    p.putByte(act, 9);
    refused(p.bytes, "op 0 (CONV_2D)", "unknown fused activation code 9");
  }

  @Test
  void unknownPaddingCode() {
    // a corrupt padding byte must not silently become SAME (it decides the output size and the offsets)
    FlatbufferPatch p = patch();
    int options = p.deref(p.field(p.operator(0), FlatbufferPatch.OP_OPTIONS));
    int pad = p.field(options, 0); // Conv2DOptions.padding, stored although SAME is the default
    assertEquals(0, p.bytes[pad], "precondition: conv has SAME padding");
    p.putByte(pad, 7);
    refused(p.bytes, "op 0 (CONV_2D)", "unknown padding code 7");
  }

  @Test
  void optionsUnionTypeMismatch() {
    FlatbufferPatch p = patch();
    int type = p.field(p.operator(0), FlatbufferPatch.OP_OPTIONS_TYPE);
    assertEquals(1, p.bytes[type], "precondition: Conv2DOptions is union type 1");
    p.putByte(type, 2);
    refused(p.bytes, "op 0 (CONV_2D)", "union type 2, expected 1");
  }

  @Test
  void sharedVectorsAreNotExpandedWithoutBound() {
    // flatbuffers let many tables point at one vector: 20,000 tensors sharing one 20,000-scale quantization table
    // is a ~160 KB file that would expand to 400 million boxed floats; the reader must refuse it cheaply
    int n = 20_000;
    FlatBufferBuilder fb = new FlatBufferBuilder(1 << 18);
    fb.startVector(4, n, 4);
    for (int i = 0; i < n; i++) {
      fb.addFloat(0.5f);
    }
    int scalesVec = fb.endVector();
    fb.startTable(7);
    fb.addOffset(2, scalesVec, 0);
    int quant = fb.endTable();
    int name = fb.createString("t");
    fb.startTable(6);
    fb.addByte(1, (byte) TensorType.INT8.code(), 0);
    fb.addOffset(3, name, 0);
    fb.addOffset(4, quant, 0);
    int tensor = fb.endTable();
    int[] same = new int[n];
    Arrays.fill(same, tensor);
    int tensors = fb.createVectorOfTables(same);
    fb.startTable(5);
    fb.addOffset(0, tensors, 0);
    int sub = fb.endTable();
    int subs = fb.createVectorOfTables(new int[] {sub});
    fb.startTable(7);
    fb.addInt(0, 3, 0);
    fb.addOffset(2, subs, 0);
    fb.finish(fb.endTable(), "TFL3");
    byte[] bomb = fb.sizedByteArray();
    assertTrue(bomb.length < 200_000, "the crafted file is small: " + bomb.length);

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long[] allocated = new long[1];
    String msg = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
      long before = threads.getCurrentThreadAllocatedBytes(); // the thread that runs the read
      ModelException e = assertThrows(ModelException.class, () -> TfliteReader.read(bomb, SOURCE));
      allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
      return e.getMessage();
    }, "reading a file of shared vectors must not expand them one by one");
    assertTrue(msg.startsWith(SOURCE + ": "), msg);
    assertTrue(msg.contains("shared"), msg);
    assertTrue(allocated[0] < (64L << 20), "allocated " + (allocated[0] >> 20) + " MB for a " + bomb.length
        + "-byte file");
  }

  @Test
  void readingAPathThatIsNotThere(@TempDir Path dir) {
    Path missing = dir.resolve("nope.tflite");
    ModelException e = assertThrows(ModelException.class, () -> TfliteReader.read(missing));
    assertTrue(e.getMessage().startsWith(missing + ": no such model file"), e.getMessage());
    ModelException d = assertThrows(ModelException.class, () -> TfliteReader.read(dir));
    assertTrue(d.getMessage().contains("is a folder, not a model file"), d.getMessage());
  }

  @Test
  void readingAFileNamesIt(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("cut.tflite");
    Files.write(f, Arrays.copyOf(base, 20));
    ModelException e = assertThrows(ModelException.class, () -> TfliteReader.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
  }

  /**
   * A raw model: one buffer stored outside the flatbuffer (Buffer.offset/size) and one INT8 tensor of
   * {@code tensorBytes} elements using it. With {@code offset} -1 the offset points at the last {@code size} bytes,
   * which are appended (zeroed) after the flatbuffer.
   */
  private static byte[] rawModelWithExternalBuffer(long offset, long size, int tensorBytes) {
    long marker = 0x0123456789abcdefL;
    FlatBufferBuilder fb = new FlatBufferBuilder(256);
    fb.startTable(3);
    fb.addLong(1, offset < 0 ? marker : offset, 0);
    fb.addLong(2, size, 0);
    int buffer = fb.endTable();
    fb.startVector(4, 1, 4);
    fb.addInt(tensorBytes);
    int shape = fb.endVector();
    fb.startTable(6);
    fb.addOffset(0, shape, 0);
    fb.addByte(1, (byte) TensorType.INT8.code(), 0);
    fb.addInt(2, 0, -1); // buffer 0, stored explicitly
    int tensor = fb.endTable();
    int tensors = fb.createVectorOfTables(new int[] {tensor});
    fb.startTable(5);
    fb.addOffset(0, tensors, 0);
    int sub = fb.endTable();
    int buffers = fb.createVectorOfTables(new int[] {buffer});
    int subs = fb.createVectorOfTables(new int[] {sub});
    fb.startTable(7);
    fb.addInt(0, 3, 0);
    fb.addOffset(2, subs, 0);
    fb.addOffset(4, buffers, 0);
    fb.finish(fb.endTable(), "TFL3");
    byte[] flat = fb.sizedByteArray();
    if (offset >= 0) {
      return flat;
    }
    int dataStart = (flat.length + 15) & ~15;
    byte[] file = Arrays.copyOf(flat, dataStart + (int) size);
    ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 8 <= flat.length; i++) {
      if (bb.getLong(i) == marker) {
        bb.putLong(i, dataStart);
        return file;
      }
    }
    throw new AssertionError("offset marker not found");
  }
}
