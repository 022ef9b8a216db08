package io.tinyforge.memory;

import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.CopyParams;
import io.tinyforge.lower.HardSwishParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LeakyReluParams;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.Relu6Params;
import io.tinyforge.lower.ReluParams;
import io.tinyforge.lower.SigmoidTanh16Params;
import io.tinyforge.lower.SigmoidTanhParams;
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
   */
  public record Step(int[] reads, int[] writes, boolean aliases, int scratchBytes, int[] inPlaceInputs) {
    public Step {
      reads = reads.clone();
      writes = writes.clone();
      inPlaceInputs = inPlaceInputs.clone();
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

  /** The graph with only the scratch every core's kernels need alike ({@link KernelScratch#CORE_INDEPENDENT}). */
  public static TensorGraph of(LoweredModel lowered) {
    return of(lowered, KernelScratch.CORE_INDEPENDENT);
  }

  /** The graph with each step's scratch as {@code kernels} sizes it (the kernels chosen for one core). */
  public static TensorGraph of(LoweredModel lowered, KernelScratch kernels) {
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
      steps.add(new Step(p.inputTensors(), p.outputTensors(), p instanceof CopyParams, scratchBytes(m, p, kernels),
          elementwise(p) ? p.inputTensors() : new int[0]));
    }
    return new TensorGraph(bytes, constant, steps, m.inputs(), m.outputs());
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
   * Scratch a step's kernel of {@code firmware/include/tfk_kernels.h} takes from its caller, as {@code kernels}
   * sizes it; a patch stage's is its band buffers and its kernels' scratch.
   */
  public static int scratchBytes(Model model, KernelParams params, KernelScratch kernels) {
    if (params instanceof PatchStage p) {
      return p.scratchBytes();
    }
    return kernels.bytes(model, params);
  }
}
