package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.sim.oracle.Oracle;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The int8 model TensorFlow 2.21 (Keras 3) writes for a Flatten with a free batch dimension: SHAPE -> STRIDED_SLICE
 * -> PACK -> RESHAPE. The reader folds the three shape ops into a constant; the folded graph must then give exactly
 * TFLM's bytes (TFLM runs the unfolded file) for every intermediate tensor and output.
 * Fixture: tools/models/fixtures/keras3_flatten_int8.tflite (tools/models/make_keras3_fixtures.py).
 */
class FoldedShapeOracleTest {
  static final Path FIXTURE = Oracle.repoRoot().resolve("tools/models/fixtures/keras3_flatten_int8.tflite");

  @Test
  void shapeSubgraphIsFoldedAtLoad() {
    Model m = TfliteReader.read(FIXTURE);
    assertEquals(3, m.folded().size(), m.folded().toString());
    assertTrue(m.folded().get(0).startsWith("SHAPE"), m.folded().get(0));
    assertTrue(m.folded().get(2).contains("= [1, 96]"), m.folded().get(2));
    assertFalse(m.operators().stream().anyMatch(op -> op.op() == BuiltinOp.SHAPE || op.op() == BuiltinOp.PACK));
    for (int i = 0; i < m.operators().size(); i++) {
      assertEquals(i, m.operators().get(i).index());
    }
  }

  @Test
  void foldedModelIsBitExactWithTflm() {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    List<OracleBatch.Verdict> v = OracleBatch.compare(List.of("keras3_flatten_int8"), List.of(FIXTURE), 20, 13);
    assertNull(v.get(0).problem(), v.get(0).problem());
    assertEquals(20, v.get(0).runs());
    assertTrue(v.get(0).comparedBytes() > 20 * 10, "compared " + v.get(0).comparedBytes() + " bytes");
  }
}
