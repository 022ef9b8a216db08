package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.ModelBuilder;
import io.tinyforge.tflite.TfliteReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A stateful model's project: the SVDF state is a static array outside the arena (the plan leaves it out), set to
 * its start value (the zero point of int8 state) by model_reset(), which the first model_invoke() calls.
 */
class StatefulProjectTest {
  /** x(int8 1x8) -> SVDF(rank 1, 4 filters, memory 3, int8 state with zero point -50) -> y(int8 1x4). */
  static byte[] svdfModel() {
    ModelBuilder b = new ModelBuilder("svdf.tflite");
    Quantization act = Quantization.perTensor(0.5f, -1);
    int x = b.activation("x", TensorType.INT8, new Shape(1, 8), act);
    int wf = b.constInt8("wf", new Shape(4, 8), new byte[32], Quantization.perTensor(0.01f, 0));
    int wt = b.constInt8("wt", new Shape(4, 3), new byte[12], Quantization.perTensor(0.02f, 0));
    int bias = b.constInt32("b", new Shape(4), new int[4], Quantization.perTensor(0.02f * 0.25f, 0));
    int state = b.variable("state", TensorType.INT8, new Shape(1, 12), Quantization.perTensor(0.25f, -50));
    int y = b.activation("y", TensorType.INT8, new Shape(1, 4), act);
    b.op(BuiltinOp.SVDF, new OpOptions.Svdf(1, Activation.RELU), new int[] {x, wf, wt, bias, state}, new int[] {y});
    return b.inputs(x).outputs(y).toBytes();
  }

  @Test
  void stateLivesOutsideTheArenaAndModelResetSetsItsZeroPoint() throws Exception {
    Board host = BoardRegistry.load(ProjectGeneratorTest.ROOT).get("host");
    byte[] bytes = svdfModel();
    LoweredModel lowered = Lowering.lower(TfliteReader.read(bytes, "svdf.tflite"));
    CProject p = ProjectGenerator.generate(ProjectGeneratorTest.ROOT, host, lowered, bytes, "svdf.tflite");
    assertEquals(-1, p.plan().tensorOffset(4), "the state tensor has no arena offset");
    String c = new String(p.files().get("model.c"), StandardCharsets.UTF_8);
    String h = new String(p.files().get("model.h"), StandardCharsets.UTF_8);
    assertTrue(c.contains("static int8_t tf_state_t4[12]"), c);
    assertTrue(c.contains("memset(tf_state_t4, -50, sizeof tf_state_t4);"), c);
    assertTrue(c.contains("tfk_svdf_s8_s8(&op0_params, TF_T0, tf_w1, tf_w2, tf_w3, tf_state_t4, TF_T5);"), c);
    String invoke = c.substring(c.indexOf("int model_invoke(void) {"));
    assertTrue(invoke.indexOf("model_reset();") < invoke.indexOf("tfk_svdf_s8_s8"), "reset before the first op");
    assertFalse(c.contains("#define TF_T4 "), "no arena pointer for the state");
    assertTrue(h.contains("void model_reset(void);"), h);
    assertTrue(h.contains("#define MODEL_STATE_BYTES 12u"), h);
    assertTrue(h.contains("#define MODEL_STATE_TENSOR_COUNT 1"), h);
  }
}
