package io.tinyforge.memory;

import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.CopyParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.HardSwishParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LeakyReluParams;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.Relu6Params;
import io.tinyforge.lower.ReluParams;
import io.tinyforge.lower.SigmoidTanh16Params;
import io.tinyforge.lower.SigmoidTanhParams;
import io.tinyforge.lower.TransposeConvParams;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What the memory planner needs to know about a model, and nothing else: tensor sizes, which tensors are
 * constants, and per step (operator, in execution order) the tensors it reads and writes, whether its output may
 * alias its input, and how much scratch its kernel needs. Tests build graphs directly; models go through
 * {@link #of(LoweredModel)}.
 *
 * @param tensorBytes bytes of each tensor by index
 * @param constant whether each tensor lives outside the arena: a constant (flash) or a variable (persistent state)
 * @param steps the operators in execution order
 * @param inputs graph input tensors (written before step 0)
 * @param outputs graph output tensors (read after the last step)
 */
public record TensorGraph(int[] tensorBytes, boolean[] constant, List<Step> steps, List<Integer> inputs,
    List<Integer> outputs) {

  /**
   * One operator.
   *
   * @param reads tensors it reads
   * @param writes tensors it writes
   * @param aliases true for RESHAPE/SQUEEZE/EXPAND_DIMS: the single output is the single input's bytes
   * @param scratchBytes bytes of scratch its kernel takes from the caller (0: none)
   * @param inPlaceInputs inputs its kernel may overwrite with its single output (element-wise kernels read element
   *     i of every input before writing element i); the planner does so only when the input dies at this step
   * @param inPlaceScratchBytes scratch the step needs only when it runs in place ({@link InPlaceDepthwise}: the
   *     input rows of one band)
   */
  public record Step(int[] reads, int[] writes, boolean aliases, int scratchBytes, int[] inPlaceInputs,
      int inPlaceScratchBytes) {
    public Step {
      reads = reads.clone();
      writes = writes.clone();
      inPlaceInputs = inPlaceInputs.clone();
    }

    public Step(int[] reads, int[] writes, boolean aliases, int scratchBytes, int[] inPlaceInputs) {
      this(reads, writes, aliases, scratchBytes, inPlaceInputs, 0);
    }

    /** A step whose output never shares an input's bytes unless it is an alias. */
    public Step(int[] reads, int[] writes, boolean aliases, int scratchBytes) {
      this(reads, writes, aliases, scratchBytes, new int[0]);
    }
  }

  public TensorGraph {
    tensorBytes = tensorBytes.clone();
    constant = constant.clone();
    steps = List.copyOf(steps);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public static TensorGraph of(LoweredModel lowered) {
    return of(lowered, false);
  }

  /**
   * @param inPlaceDepthwise also offer the depthwise convolutions that {@link InPlaceDepthwise} can run over their
   *     input as in-place steps (with their band scratch)
   */
  public static TensorGraph of(LoweredModel lowered, boolean inPlaceDepthwise) {
    Model m = lowered.model();
    int n = m.tensors().size();
    int[] bytes = new int[n];
    boolean[] constant = new boolean[n];
    for (Tensor t : m.tensors()) {
      bytes[t.index()] = Math.max(0, t.byteSize());
      // State (variable) tensors persist across invokes in their own memory, apart from the scratch arena.
      constant[t.index()] = t.isConstant() || t.isVariable();
    }
    List<Step> steps = new ArrayList<>();
    for (LoweredOp op : lowered.ops()) {
      KernelParams p = op.params();
      if (inPlaceDepthwise && InPlaceDepthwise.eligible(m, p)) {
        DepthwiseParams d = (DepthwiseParams) p;
        steps.add(new Step(p.inputTensors(), p.outputTensors(), false, scratchBytes(p), new int[] {d.input()},
            InPlaceDepthwise.scratchBytes(m, d)));
        continue;
      }
      steps.add(new Step(p.inputTensors(), p.outputTensors(), p instanceof CopyParams, scratchBytes(p),
          elementwise(p) ? p.inputTensors() : new int[0]));
    }
    return new TensorGraph(bytes, constant, steps, m.inputs(), m.outputs());
  }

  /**
   * This graph with {@code tensors} kept outside the arena like constants: model inputs that live in a buffer of
   * their own (a camera frame in external RAM, see {@code --input-memory}). The planner then neither places nor
   * counts them.
   */
  public TensorGraph withOutside(java.util.Collection<Integer> tensors) {
    if (tensors.isEmpty()) {
      return this;
    }
    boolean[] c = constant.clone();
    for (int t : tensors) {
      c[t] = true;
    }
    return new TensorGraph(tensorBytes, c, steps, inputs, outputs);
  }

  /**
   * True for the kernels that compute output element i from input element i alone (same element count) and read it
   * before writing it, so the output may overwrite an input of the same size: ADD/SUB (a same-sized operand has the
   * output's layout) and the unary activations. FusedScheduleTest runs such schedules against the simulator.
   */
  static boolean elementwise(KernelParams p) {
    return p instanceof AddSubParams || p instanceof LeakyReluParams || p instanceof ReluParams
        || p instanceof Relu6Params || p instanceof HardSwishParams || p instanceof SigmoidTanhParams
        || p instanceof SigmoidTanh16Params;
  }

  /**
   * Scratch each kernel of {@code firmware/include/tfk_kernels.h} takes from its caller: TRANSPOSE_CONV, one
   * int32 accumulator per output element; a patch stage, its band buffers.
   */
  public static int scratchBytes(KernelParams params) {
    if (params instanceof PatchStage p) {
      return p.scratchBytes();
    }
    if (params instanceof TransposeConvParams p) {
      long n = (long) p.batches() * p.outputHeight() * p.outputWidth() * p.outputDepth() * Integer.BYTES;
      return Math.toIntExact(n);
    }
    return 0;
  }
}
