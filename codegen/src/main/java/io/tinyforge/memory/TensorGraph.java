package io.tinyforge.memory;

import io.tinyforge.lower.CopyParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
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
   */
  public record Step(int[] reads, int[] writes, boolean aliases, int scratchBytes) {
    public Step {
      reads = reads.clone();
      writes = writes.clone();
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
      steps.add(new Step(p.inputTensors(), p.outputTensors(), p instanceof CopyParams, scratchBytes(p)));
    }
    return new TensorGraph(bytes, constant, steps, m.inputs(), m.outputs());
  }

  /**
   * Scratch each kernel of {@code firmware/include/tfk_kernels.h} takes from its caller: only TRANSPOSE_CONV, one
   * int32 accumulator per output element.
   */
  public static int scratchBytes(KernelParams params) {
    if (params instanceof TransposeConvParams p) {
      long n = (long) p.batches() * p.outputHeight() * p.outputWidth() * p.outputDepth() * Integer.BYTES;
      return Math.toIntExact(n);
    }
    return 0;
  }
}
