package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.sim.gen.GraphBuilder;
import io.tinyforge.sim.gen.ModelFiles;
import io.tinyforge.sim.oracle.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models TFLM refuses in Prepare (or aborts on, or would run into unwritten output) must be refused at compile
 * time with one clear line naming the op and the fix, never lowered into something that disagrees with the oracle.
 * Where TFLM reports the refusal cleanly, the oracle is asked too, so the list stays in step with TFLM.
 */
class ElementwiseOpsRefusalTest {
  /** What TFLM itself does with the model. */
  enum Tflm { TFLM_REFUSES, TFLM_ABORTS, TFLM_RUNS_WRONG }

  record Refusal(String name, String expectedFragment, Tflm tflm, Consumer<GraphBuilder> build) {
    Model model() {
      GraphBuilder g = new GraphBuilder();
      build.accept(g);
      return g.build(name + ".tflite");
    }
  }

  @TempDir
  Path dir;

  static List<Refusal> refusals() {
    return List.of(
        new Refusal("concatenationWithDifferentInputScaleIsRefused", "TFLM requires equal quantization",
            Tflm.TFLM_REFUSES, g -> {
          int a = g.int8("a", new int[] {1, 2}, 0.5f, 1);
          int b = g.int8("b", new int[] {1, 2}, 0.25f, 1);
          int o = g.int8("o", new int[] {1, 4}, 0.5f, 1);
          g.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(1, Activation.NONE), new int[] {a, b}, o);
        }),
        new Refusal("concatenationWithDifferentZeroPointIsRefused", "zero point 3", Tflm.TFLM_REFUSES, g -> {
          int a = g.int8("a", new int[] {1, 2}, 0.5f, 1);
          int b = g.int8("b", new int[] {1, 2}, 0.5f, 3);
          int o = g.int8("o", new int[] {1, 4}, 0.5f, 1);
          g.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(-1, Activation.NONE), new int[] {a, b}, o);
        }),
        new Refusal("concatenationWithFusedActivationIsRefused", "fused activation RELU", Tflm.TFLM_REFUSES, g -> {
          int a = g.int8("a", new int[] {1, 2}, 0.5f, 1);
          int o = g.int8("o", new int[] {1, 2}, 0.5f, 1);
          g.op(BuiltinOp.CONCATENATION, new OpOptions.Concatenation(1, Activation.RELU), new int[] {a}, o);
        }),
        new Refusal("logisticNeedsOutputZeroPointMinus128", "needs -128", Tflm.TFLM_REFUSES, g -> {
          int a = g.int8("a", new int[] {3}, 0.1f, 0);
          int o = g.int8("o", new int[] {3}, 1f / 256, 0);
          g.op(BuiltinOp.LOGISTIC, new OpOptions.None(), new int[] {a}, o);
        }),
        new Refusal("softmaxNeedsOutputScaleOneOver256", "scale 1/256", Tflm.TFLM_REFUSES, g -> {
          int a = g.int8("a", new int[] {1, 3}, 0.1f, 0);
          int o = g.int8("o", new int[] {1, 3}, 1f / 255, -128);
          g.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {a}, o);
        }),
        new Refusal("softmaxWithTinyBetaTimesScaleIsRefused", "too small", Tflm.TFLM_ABORTS, g -> {
          int a = g.int8("a", new int[] {1, 3}, 1e-9f, 0);
          int o = g.int8("o", new int[] {1, 3}, 1f / 256, -128);
          g.op(BuiltinOp.SOFTMAX, new OpOptions.Softmax(1f), new int[] {a}, o);
        }),
        new Refusal("addWhoseOutputScaleIsTooSmallIsRefused", "output scale is too small", Tflm.TFLM_ABORTS, g -> {
          int a = g.int8("a", new int[] {3}, 1f, 0);
          int b = g.int8("b", new int[] {3}, 1f, 0);
          int o = g.int8("o", new int[] {3}, 1e-7f, 0);
          g.op(BuiltinOp.ADD, new OpOptions.Arithmetic(Activation.NONE), new int[] {a, b}, o);
        }),
        new Refusal("hardSwishWithPositiveOutputExponentIsRefused", "output multiplier exponent",
            Tflm.TFLM_ABORTS, g -> {
          int a = g.int8("a", new int[] {3}, 100f, 0);
          int o = g.int8("o", new int[] {3}, 0.01f, 0);
          g.op(BuiltinOp.HARD_SWISH, new OpOptions.None(), new int[] {a}, o);
        }),
        new Refusal("stridedSliceOfRank5IsRefused", "at most 4", Tflm.TFLM_REFUSES, g -> {
          int[] s = {1, 2, 1, 2, 2};
          int x = g.int8("x", s, 0.5f, 0);
          int b = g.constInt32("b", new int[] {5}, new int[5], null);
          int e = g.constInt32("e", new int[] {5}, s, null);
          int st = g.constInt32("s", new int[] {5}, new int[] {1, 1, 1, 1, 1}, null);
          int o = g.int8("o", s, 0.5f, 0);
          g.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(0, 0, 0, 0, 0, false), new int[] {x, b, e, st}, o);
        }),
        new Refusal("stridedSliceThatTflmWouldLeaveUnwrittenIsRefused", "unwritten", Tflm.TFLM_RUNS_WRONG, g -> {
          int x = g.int8("x", new int[] {3}, 0.5f, 0);
          int b = g.constInt32("b", new int[] {1}, new int[] {1}, null);
          int e = g.constInt32("e", new int[] {1}, new int[] {2}, null);
          int st = g.constInt32("s", new int[] {1}, new int[] {-1}, null);
          int o = g.int8("o", new int[0], 0.5f, 0);
          g.op(BuiltinOp.STRIDED_SLICE, new OpOptions.StridedSlice(0, 0, 0, 0, 1, false), new int[] {x, b, e, st}, o);
        }),
        new Refusal("transposeOfRank6IsRefused", "1 to 5", Tflm.TFLM_REFUSES, g -> {
          int[] s = {1, 1, 1, 1, 1, 2};
          int x = g.int8("x", s, 0.5f, 0);
          int p = g.constInt32("p", new int[] {6}, new int[] {0, 1, 2, 3, 4, 5}, null);
          int o = g.int8("o", s, 0.5f, 0);
          g.op(BuiltinOp.TRANSPOSE, new OpOptions.None(), new int[] {x, p}, o);
        }),
        new Refusal("bilinearWithAlignCornersAndHalfPixelIsRefused", "half_pixel_centers", Tflm.TFLM_REFUSES, g -> {
          int x = g.int8("x", new int[] {1, 2, 2, 1}, 0.5f, 0);
          int size = g.constInt32("size", new int[] {2}, new int[] {4, 4}, null);
          int o = g.int8("o", new int[] {1, 4, 4, 1}, 0.5f, 0);
          g.op(BuiltinOp.RESIZE_BILINEAR, new OpOptions.Resize(true, true), new int[] {x, size}, o);
        }),
        new Refusal("splitVWhoseSizesDisagreeWithTheAxisIsRefused", "add up to", Tflm.TFLM_RUNS_WRONG, g -> {
          int x = g.int8("x", new int[] {5}, 0.5f, 0);
          int sz = g.constInt32("sz", new int[] {2}, new int[] {2, 2}, null);
          int ax = g.constInt32("ax", new int[] {1}, new int[] {0}, null);
          int o1 = g.int8("o1", new int[] {2}, 0.5f, 0);
          int o2 = g.int8("o2", new int[] {2}, 0.5f, 0);
          g.op(BuiltinOp.SPLIT_V, new OpOptions.Split(2), new int[] {x, sz, ax}, o1, o2);
        })
    );
  }

  @TestFactory
  Stream<DynamicTest> refusedAtCompileTimeWithOneClearLine() {
    return refusals().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
      Model m = r.model();
      ModelException e = assertThrows(ModelException.class, () -> Lowering.lower(m));
      assertTrue(e.getMessage().contains(r.expectedFragment()), e.getMessage());
      assertTrue(e.getMessage().startsWith(r.name() + ".tflite: op 0 ("), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }));
  }

  /** The ones TFLM refuses cleanly (no abort) are refused by the oracle as well, in one batch. */
  @Test
  void tflmRefusesThemToo() throws Exception {
    assumeTrue(Oracle.available(), Oracle.unavailableReason());
    assumeTrue(ModelFiles.writerAvailable(), ModelFiles.unavailableReason());
    List<Refusal> clean = refusals().stream().filter(r -> r.tflm() == Tflm.TFLM_REFUSES).toList();
    List<Oracle.Job> jobs = new ArrayList<>();
    for (Refusal r : clean) {
      Path f = dir.resolve(r.name() + ".tflite");
      Files.write(f, ModelFiles.serialize(r.model()));
      jobs.add(Oracle.Job.outputsOnly(f, List.of()));
    }
    List<Oracle.JobResult> results = Oracle.run(jobs);
    assertEquals(clean.size(), results.size());
    for (int i = 0; i < clean.size(); i++) {
      assertNotNull(results.get(i).error(), clean.get(i).name() + " was accepted by TFLM");
    }
  }
}
