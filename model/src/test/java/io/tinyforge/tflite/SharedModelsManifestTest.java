package io.tinyforge.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.tinyforge.check.ModelChecker;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The reader and the checker against the facts of ../shared/models/MANIFEST.md (dumped with flatc upstream of
 * tinyforge): per model, operator counts, model I/O (name, type, shape, float32 scale, zero point), tensor counts
 * and dtypes, weight and bias kinds, opcode versions and every builtin option the notes list. Then the roles: the
 * int8 models compile, the NEGATIVE fixtures are refused naming the reason, the EDGE fixtures behave as designed.
 */
class SharedModelsManifestTest {

  private static Manifest manifest() {
    Fixtures.assumeSharedModels();
    return Manifest.load(Fixtures.sharedModelsDir().resolve("MANIFEST.md"));
  }

  @TestFactory
  Stream<DynamicTest> readerMatchesManifestFilesTable() {
    Manifest manifest = manifest();
    assertTrue(manifest.tfliteRows().size() >= 14, "expected at least 14 .tflite rows, got "
        + manifest.tfliteRows().size());
    return manifest.tfliteRows().stream().map(row -> dynamicTest(row.file(), () -> checkRow(row)));
  }

  private static void checkRow(Manifest.Row row) {
    Path path = Fixtures.shared(row.file());
    assertEquals(row.bytes(), Fixtures.bytes(path).length, row.file() + ": file size differs from MANIFEST.md");
    Model m = TfliteReader.read(path);

    Map<String, Integer> ops = new TreeMap<>();
    for (Operator op : m.operators()) {
      ops.merge(op.opName(), 1, Integer::sum);
    }
    assertEquals(new TreeMap<>(row.opCounts()), ops, row.file() + ": operator counts");

    checkTensors(row.file() + " input", row.inputs(), m, m.inputs());
    checkTensors(row.file() + " output", row.outputs(), m, m.outputs());
  }

  private static void checkTensors(String what, List<Manifest.TensorFact> facts, Model m, List<Integer> indices) {
    assertEquals(facts.size(), indices.size(), what + " count");
    for (int i = 0; i < facts.size(); i++) {
      Manifest.TensorFact f = facts.get(i);
      Tensor t = m.tensor(indices.get(i));
      String ctx = what + " " + i + " (" + f.name() + ")";
      assertEquals(f.name(), t.name(), ctx + ": name");
      assertEquals(f.type(), t.type().name(), ctx + ": type");
      assertArrayEquals(f.shape(), t.shape().toArray(), ctx + ": shape " + t.shape());
      if (f.scale() == null) {
        assertNull(t.quantization(), ctx + ": manifest says no-quant");
      } else {
        Quantization q = t.quantization();
        assertNotNull(q, ctx + ": quantization missing");
        assertEquals(1, q.scales().size(), ctx + ": per-tensor scale count");
        // exact float32 equality: the manifest prints the shortest decimal that round-trips to the file's float32
        assertEquals(Float.floatToIntBits(f.scale()), Float.floatToIntBits(q.scale()),
            ctx + ": scale " + q.scale() + " vs manifest " + f.scale());
        assertEquals(f.zeroPoint().longValue(), (long) q.zeroPoint(), ctx + ": zero point");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> readerMatchesManifestNotes() {
    Manifest manifest = manifest();
    List<DynamicTest> tests = new ArrayList<>();
    for (Manifest.Row row : manifest.tfliteRows()) {
      Manifest.Notes notes = manifest.notes(row.file());
      if (notes != null) {
        tests.add(dynamicTest(row.file(), () -> checkNotes(row.file(), notes)));
      }
    }
    assertTrue(tests.size() >= 14, "expected per-model notes for at least 14 models, got " + tests.size());
    return tests.stream();
  }

  private static void checkNotes(String file, Manifest.Notes n) {
    Model m = TfliteReader.read(Fixtures.shared(file));
    String expectedDescription = n.producer().equals("(no description)") ? "" : n.producer();
    assertEquals(expectedDescription, m.description(), file + ": description (producer)");
    assertEquals(n.operators(), m.operators().size(), file + ": operators");
    assertEquals(n.tensors(), m.tensors().size(), file + ": tensors");
    assertEquals(1, n.subgraphs(), file + ": the reader reads single-subgraph models");

    Map<String, Integer> nonConst = new TreeMap<>();
    Map<String, Integer> konst = new TreeMap<>();
    int variables = 0;
    for (Tensor t : m.tensors()) {
      (t.isConstant() ? konst : nonConst).merge(t.type().name(), 1, Integer::sum);
      variables += t.isVariable() ? 1 : 0;
    }
    assertEquals(new TreeMap<>(n.nonConstantDtypes()), nonConst, file + ": non-constant tensor dtypes");
    assertEquals(new TreeMap<>(n.constantDtypes()), konst, file + ": constant tensor dtypes");
    assertEquals(n.variableTensors(), variables, file + ": variable tensors");

    Map<String, Integer> weights = new TreeMap<>();
    Map<String, Integer> biases = new TreeMap<>();
    for (Operator op : m.operators()) {
      BuiltinOp b = op.op();
      if (b == BuiltinOp.CONV_2D || b == BuiltinOp.DEPTHWISE_CONV_2D || b == BuiltinOp.FULLY_CONNECTED) {
        Tensor w = m.tensor(op.input(1));
        weights.merge(b.name() + " weights " + w.type() + " " + quantKind(w), 1, Integer::sum);
        if (op.input(2) >= 0) {
          biases.merge(b.name() + " bias " + m.tensor(op.input(2)).type(), 1, Integer::sum);
        }
      }
    }
    assertEquals(new TreeMap<>(n.weights()), weights, file + ": weights");
    assertEquals(new TreeMap<>(n.biases()), biases, file + ": biases");

    for (Operator op : m.operators()) {
      String key = op.opName().replace("CUSTOM(", "CUSTOM:").replace(")", "");
      Integer v = n.opVersions().get(key);
      assertNotNull(v, file + ": op " + op.index() + " " + op.opName() + " is not in the manifest's opcode table");
      assertEquals(v.intValue(), op.version(), file + ": version of " + op.opName());
    }

    for (Map.Entry<String, Map<String, Integer>> e : n.options().entrySet()) {
      Map<String, Integer> actual = new TreeMap<>();
      for (Operator op : m.operators()) {
        if (op.opName().equals(e.getKey())) {
          actual.merge(describeOptions(op), 1, Integer::sum);
        }
      }
      assertEquals(new TreeMap<>(e.getValue()), actual, file + ": options of " + e.getKey());
    }
  }

  private static String quantKind(Tensor t) {
    Quantization q = t.quantization();
    if (q == null) {
      return "unquantized";
    }
    return q.isPerChannel() ? "per-channel(axis " + q.quantizedDimension() + ")" : "per-tensor";
  }

  private static String py(boolean b) {
    return b ? "True" : "False";
  }

  /** The options as the manifest prints them (sizes are height x width). */
  private static String describeOptions(Operator op) {
    OpOptions o = op.options();
    if (o instanceof OpOptions.Conv2D c) {
      return "pad=" + c.padding() + " stride=" + c.strideH() + "x" + c.strideW() + " dil=" + c.dilationH() + "x"
          + c.dilationW() + " act=" + c.activation();
    }
    if (o instanceof OpOptions.DepthwiseConv2D c) {
      return "pad=" + c.padding() + " stride=" + c.strideH() + "x" + c.strideW() + " dil=" + c.dilationH() + "x"
          + c.dilationW() + " mult=" + c.depthMultiplier() + " act=" + c.activation();
    }
    if (o instanceof OpOptions.Pool2D p) {
      return "pad=" + p.padding() + " filter=" + p.filterH() + "x" + p.filterW() + " stride=" + p.strideH() + "x"
          + p.strideW() + " act=" + p.activation();
    }
    if (o instanceof OpOptions.FullyConnected f) {
      String fmt = switch (f.weightsFormat()) {
        case 0 -> "DEFAULT";
        case 1 -> "SHUFFLED4x16INT8";
        default -> String.valueOf(f.weightsFormat());
      };
      return "act=" + f.activation() + " keep_num_dims=" + py(f.keepNumDims()) + " fmt=" + fmt;
    }
    if (o instanceof OpOptions.Softmax s) {
      return "beta=" + s.beta();
    }
    if (o instanceof OpOptions.Arithmetic a) {
      return "act=" + a.activation();
    }
    if (o instanceof OpOptions.Concatenation c) {
      return "axis=" + c.axis() + " act=" + c.activation();
    }
    if (o instanceof OpOptions.LeakyRelu l) {
      return "alpha=" + l.alpha();
    }
    if (o instanceof OpOptions.Resize r) {
      return "align_corners=" + py(r.alignCorners()) + " half_pixel_centers=" + py(r.halfPixelCenters());
    }
    if (o instanceof OpOptions.Svdf s) {
      return "rank=" + s.rank() + " act=" + s.activation();
    }
    throw new AssertionError("the manifest lists options of " + op.opName() + " (" + o
        + "); teach describeOptions this op");
  }

  // ---- roles: positive, negative and edge fixtures ----

  @TestFactory
  Stream<DynamicTest> int8FixturesAreAccepted() {
    Manifest manifest = manifest();
    List<Manifest.Row> positive = new ArrayList<>();
    for (Manifest.Row row : manifest.tfliteRows()) {
      boolean int8Io = Stream.concat(row.inputs().stream(), row.outputs().stream())
          .allMatch(f -> f.type().equals("INT8"));
      boolean marked = row.description().startsWith("NEGATIVE") || row.description().startsWith("EDGE");
      if (int8Io && !marked) {
        positive.add(row);
      }
    }
    assertTrue(positive.size() >= 9, "expected at least 9 positive int8 fixtures, got " + positive.size());
    return positive.stream().map(row -> dynamicTest(row.file(), () -> {
      Model m = TfliteReader.read(Fixtures.shared(row.file()));
      assertDoesNotThrow(() -> ModelChecker.check(m), row.file() + " is an int8 fixture and must compile");
      assertNull(ModelChecker.verdict(m));
    }));
  }

  private static String refusal(String file) {
    Model m = TfliteReader.read(Fixtures.shared(file));
    ModelException e = assertThrows(ModelException.class, () -> ModelChecker.check(m), file + " must be refused");
    assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    assertTrue(e.getMessage().contains(file), "message names the model: " + e.getMessage());
    assertEquals(e.getMessage(), ModelChecker.verdict(m));
    return e.getMessage();
  }

  @Test
  void floatModelIsRefusedNamingFloat32AndTheTensor() {
    String file = "tflm_hello_world_float.tflite";
    manifest();
    Model m = TfliteReader.read(Fixtures.shared(file));
    String msg = refusal(file);
    assertTrue(msg.contains("FLOAT32"), msg);
    boolean namesAFloatTensor = m.tensors().stream()
        .anyMatch(t -> t.type() == TensorType.FLOAT32 && msg.contains("'" + t.name() + "'"));
    assertTrue(namesAFloatTensor, "message names a FLOAT32 tensor: " + msg);
    assertTrue(msg.contains("int8"), "message says what to do: " + msg);
  }

  @Test
  void velaModelIsRefusedNamingTheEthosUCustomOp() {
    manifest();
    String msg = refusal("tflm_person_detect_vela.tflite");
    assertTrue(msg.contains("CUSTOM(ethos-u)"), msg);
    assertTrue(msg.contains("Vela"), msg);
  }

  @Test
  void floatIoModelWithInt8CoreIsAccepted() {
    Manifest manifest = manifest();
    String file = "arm_ds_cnn_s_int8_floatio.tflite";
    assertEquals("FLOAT32", manifest.row(file).inputs().get(0).type(), "fixture precondition: float input");
    Model m = TfliteReader.read(Fixtures.shared(file));
    assertDoesNotThrow(() -> ModelChecker.check(m));
  }

  @Test
  void keywordScrambledModelsWithStatefulSvdfAreAccepted() {
    manifest();
    for (String file : List.of("tflm_keyword_scrambled_int16io.tflite",
        "tflm_keyword_scrambled_8bit_int16io.tflite")) {
      Model m = TfliteReader.read(Fixtures.shared(file));
      assertTrue(m.operators().stream().anyMatch(o -> o.opName().equals("SVDF")), file + " has SVDF");
      assertDoesNotThrow(() -> ModelChecker.check(m), file + ": SVDF with int16 state compiles");
      assertNull(ModelChecker.verdict(m));
    }
  }
}
