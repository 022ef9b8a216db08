package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Tensor;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectGeneratorTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  static final Path DIGITS = ROOT.resolve("examples/digits_int8.tflite");

  @TempDir
  Path dir;

  static CProject generate(String boardName) throws IOException {
    Board board = BoardRegistry.load(ROOT).get(boardName);
    byte[] bytes = Files.readAllBytes(DIGITS);
    LoweredModel lowered = Lowering.lower(TfliteReader.read(bytes, DIGITS.toString()));
    return ProjectGenerator.generate(ROOT, board, lowered, bytes, "digits_int8.tflite");
  }

  static String text(CProject p, String file) {
    return new String(p.files().get(file), StandardCharsets.UTF_8);
  }

  /**
   * int16 LOGISTIC, TANH and SOFTMAX read compile-time tables: each is printed once per project however many ops
   * use it, before its first use, and its values are the compiler's (Int16Luts), not recomputed on the device.
   */
  @Test
  void int16ActivationTablesArePrintedOncePerProject() throws IOException {
    io.tinyforge.tflite.ModelBuilder b = new io.tinyforge.tflite.ModelBuilder("act16.tflite");
    io.tinyforge.model.TensorType i16 = io.tinyforge.model.TensorType.INT16;
    io.tinyforge.model.Shape shape = new io.tinyforge.model.Shape(1, 12);
    io.tinyforge.model.Quantization q15 = io.tinyforge.model.Quantization.perTensor(1f / 32768, 0);
    int x = b.activation("x", i16, shape, io.tinyforge.model.Quantization.perTensor(0.001f, 0));
    int s1 = b.activation("s1", i16, shape, q15);
    b.op(io.tinyforge.model.BuiltinOp.LOGISTIC, null, new int[] {x}, new int[] {s1});
    int t1 = b.activation("t1", i16, shape, q15);
    b.op(io.tinyforge.model.BuiltinOp.TANH, null, new int[] {s1}, new int[] {t1});
    int p1 = b.activation("p1", i16, shape, q15);
    b.op(io.tinyforge.model.BuiltinOp.SOFTMAX, new io.tinyforge.model.OpOptions.Softmax(1f), new int[] {t1},
        new int[] {p1});
    int p2 = b.activation("p2", i16, shape, q15);
    b.op(io.tinyforge.model.BuiltinOp.SOFTMAX, new io.tinyforge.model.OpOptions.Softmax(2f), new int[] {p1},
        new int[] {p2});
    byte[] bytes = b.inputs(x).outputs(p2).toBytes();
    LoweredModel lowered = Lowering.lower(TfliteReader.read(bytes, "act16.tflite"));
    CProject p = ProjectGenerator.generate(ROOT, BoardRegistry.load(ROOT).get("host"), lowered, bytes, "act16.tflite");
    String c = text(p, "model.c");
    for (String table : new String[] {"int16_sigmoid_table[256] = {32768, 33451, ",
        "int16_softmax_exp_table[513] = {", "int16_softmax_reciprocal_table[513] = {32767, "}) {
      assertEquals(1, c.split(Pattern.quote(table), -1).length - 1, table + " printed once in:\n" + c);
    }
    assertEquals(2, c.split("tfk_softmax_s16\\(", -1).length - 1, "two SOFTMAX calls");
    assertTrue(c.indexOf("int16_sigmoid_table[256]") < c.indexOf("tfk_logistic_s16("), "defined before use");
  }

  @Test
  void sameInputsGiveByteIdenticalFiles() throws IOException {
    CProject a = generate("host");
    CProject b = generate("host");
    assertEquals(a.files().keySet(), b.files().keySet());
    for (Map.Entry<String, byte[]> e : a.files().entrySet()) {
      assertArrayEquals(e.getValue(), b.files().get(e.getKey()), e.getKey() + " differs between two runs");
    }
  }

  @Test
  void modelCIsStraightLineWithOneCallPerOpAndNoHeap() throws IOException {
    CProject p = generate("host");
    LoweredModel lowered = Lowering.lower(TfliteReader.read(DIGITS));
    String c = text(p, "model.c");
    for (String bad : new String[] {"malloc", "calloc", "free(", "float "}) {
      assertFalse(c.contains(bad), "model.c contains " + bad);
    }
    assertTrue(c.contains("section(\".bss.tf_arena\")"), "arena section");
    assertTrue(text(p, "model_weights.c").contains("section(\".rodata.tf_weights\")"), "weights section");
    String body = c.substring(c.indexOf("int model_invoke(void) {"), c.indexOf("void *model_input(int i)"));
    for (LoweredOp op : lowered.ops()) {
      assertTrue(body.contains("/* op " + op.operator().index() + ": " + op.operator().opName()),
          "no comment for op " + op.operator().index());
      assertTrue(body.contains("TF_OP_DONE(" + op.operator().index() + ");"));
    }
    long calls = body.lines().filter(l -> l.strip().startsWith("tfk_")).count();
    long aliases = lowered.ops().stream().filter(o -> o.params() instanceof io.tinyforge.lower.CopyParams).count();
    assertEquals(lowered.ops().size() - aliases, calls, "one kernel call per op, none for aliases");
  }

  @Test
  void weightsHoldExactlyTheConstantsTheKernelsRead() throws IOException {
    CProject p = generate("host");
    LoweredModel lowered = Lowering.lower(TfliteReader.read(DIGITS));
    TreeSet<Integer> read = new TreeSet<>();
    for (LoweredOp op : lowered.ops()) {
      for (int t : op.params().inputTensors()) {
        if (lowered.model().tensor(t).isConstant()) {
          read.add(t);
        }
      }
    }
    TreeSet<Integer> emitted = new TreeSet<>();
    Matcher m = Pattern.compile("const \\w+ tf_w(\\d+)\\[").matcher(text(p, "model_weights.c"));
    while (m.find()) {
      emitted.add(Integer.parseInt(m.group(1)));
    }
    assertEquals(read, emitted);
    long bytes = 0;
    for (int t : read) {
      bytes += lowered.model().tensor(t).byteSize();
    }
    assertEquals(bytes, p.weightBytes());
    assertTrue(text(p, "model.h").contains("#define MODEL_WEIGHT_BYTES " + bytes + "u"));
  }

  /**
   * Per-channel requantization: int32 multipliers but one byte per shift (tfk_per_channel_quant.shift is
   * const int8_t*), with every lowered op's shifts in channel order.
   */
  @Test
  void requantizationShiftsAreOneBytePerChannel() throws IOException {
    String c = text(generate("host"), "model.c");
    LoweredModel lowered = Lowering.lower(TfliteReader.read(DIGITS));
    Matcher m = Pattern.compile("static const (\\w+) op(\\d+)_shift\\[\\d*\\] = \\{([^}]*)\\}").matcher(c);
    int tables = 0;
    while (m.find()) {
      tables++;
      assertEquals("int8_t", m.group(1), "op" + m.group(2) + "_shift");
      LoweredOp op = lowered.ops().stream()
          .filter(o -> o.operator().index() == Integer.parseInt(m.group(2))).findFirst().orElseThrow();
      int[] want = ((io.tinyforge.lower.WeightedParams) op.params()).outputShift();
      int[] got = Stream.of(m.group(3).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
      assertArrayEquals(want, got, "op" + m.group(2) + "_shift");
    }
    assertTrue(tables > 0, "digits has per-channel layers");
    assertFalse(Pattern.compile("int32_t op\\d+_shift").matcher(c).find());
  }

  @Test
  void headerHasTheApiTheVerifierUses() throws IOException {
    CProject p = generate("host");
    String h = text(p, "model.h");
    for (String s : new String[] {"int model_invoke(void);", "void *model_input(int i);",
        "void *model_output(int i);", "const void *model_tensor(int tensor_index, uint32_t *size);",
        "#define MODEL_ARENA_BYTES ", "#define MODEL_HASH \"", "#define MODEL_HASH_U64 0x", "#define MODEL_OP_COUNT ",
        "#define MODEL_INPUT_COUNT 1", "#define MODEL_OUTPUT_COUNT 1", "model_op_output_tensor[MODEL_OP_COUNT]",
        "#define MODEL_INPUT_0_SCALE 0x", "#define MODEL_INPUT_0_ZERO_POINT "}) {
      assertTrue(h.contains(s), "model.h lacks " + s);
    }
    String hash = ProjectGenerator.hash(Files.readAllBytes(DIGITS));
    assertEquals(16, hash.length());
    assertTrue(h.contains("#define MODEL_HASH \"" + hash + "\""));
  }

  @Test
  void boardProjectsAreSelfContained() throws IOException {
    CProject p = generate("qemu-mps2-an500");
    for (String f : new String[] {"board/linker.ld", "board/startup.c", "platform/platform.h",
        "platform/cortexm/startup_common.c", "platform/cmsdk/platform_qemu_mps.c", "tfk/include/tfk_kernels.h",
        "tfk/kernels/tfk_conv.c", "main.c", "Makefile", "CMakeLists.txt"}) {
      assertTrue(p.files().containsKey(f), "missing " + f);
    }
    String make = text(p, "Makefile");
    assertTrue(make.contains("arm-none-eabi-gcc") && make.contains("-mcpu=cortex-m7") && make.contains("-Werror"));
    assertTrue(make.contains("-Tboard/linker.ld") || make.contains("LINKER_SCRIPT = board/linker.ld"));
    assertFalse(generate("host").files().containsKey("board/linker.ld"), "host projects have no board files");
  }

  @Test
  void rewritingUpdatesTheGeneratedFilesAndLeavesNoTemporaries() throws IOException {
    CProject p = generate("host");
    Path out = dir.resolve("out");
    ProjectWriter.write(p, out);
    Files.writeString(out.resolve("stale.c"), "int stale;");
    ProjectWriter.write(p, out);
    assertEquals("int stale;", Files.readString(out.resolve("stale.c")), "a file tinyforge did not write stays");
    for (String f : p.files().keySet()) {
      assertArrayEquals(p.files().get(f), Files.readAllBytes(out.resolve(f)), f);
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "only out/ is left beside it");
    }
  }

  @Test
  void anOutputThatIsAFileIsRefusedAndLeftAlone() throws IOException {
    CProject p = generate("host");
    Path out = dir.resolve("taken");
    Files.writeString(out, "precious");
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> ProjectWriter.write(p, out));
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    assertEquals("precious", Files.readString(out));
  }

  @Test
  void floatLiteralsAreExact() {
    for (float f : new float[] {0.003921569f, 1e-30f, 123456.78f, Float.MIN_VALUE, -0.5f}) {
      String lit = FloatLiteral.hex(f);
      assertTrue(lit.endsWith("f"));
      assertEquals(f, Float.parseFloat(lit.substring(0, lit.length() - 1)), lit);
    }
  }

  @Test
  void transposePermutationIsRecoveredFromTheLoweredStrides() {
    int[] in = {2, 3, 4};
    // perm {2, 0, 1}: out dims {4, 2, 3}, input strides of those dims {1, 12, 4}
    assertArrayEquals(new int[] {2, 0, 1}, TransposePermutation.of(in, new int[] {4, 2, 3}, new int[] {1, 12, 4}));
  }

  static boolean isConstant(Tensor t) {
    return t.isConstant();
  }
}
