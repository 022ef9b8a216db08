package io.tinyforge.memory;

import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.ConvParams;
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
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
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
 * @param views concatenation inputs whose producers may write straight into their slice of the concatenation's
 *     output ({@link ConcatViews}); the planner then gives them no buffer of their own
 */
public record TensorGraph(int[] tensorBytes, boolean[] constant, List<Step> steps, List<Integer> inputs,
    List<Integer> outputs, List<View> views) {

  /**
   * A tensor that may live as a strided view of another: {@code runs} runs of {@code runBytes} bytes, run k at byte
   * {@code offsetBytes + k * strideBytes} of {@code parent} (an input of a last-axis CONCATENATION seen as its
   * channel slice of the output: runs are pixels, the stride is the output's pixel). Its producer writes only
   * those bytes; while it lives it is counted as occupying the whole of its parent's bytes.
   *
   * @param tensor the view (the concatenation input)
   * @param parent the tensor it is a slice of (the concatenation output)
   * @param offsetBytes where the slice starts in each run of the parent
   * @param runs runs (pixels) of both
   * @param runBytes bytes of the slice in each run (the input's pixel)
   * @param strideBytes bytes of one run of the parent (the output's pixel)
   */
  public record View(int tensor, int parent, int offsetBytes, int runs, int runBytes, int strideBytes) {
    public View {
      if (runs < 1 || runBytes < 1 || offsetBytes < 0 || offsetBytes + runBytes > strideBytes || tensor == parent) {
        throw new IllegalArgumentException("bad strided view t" + tensor + " of t" + parent + ": " + runs + " runs of "
            + runBytes + " bytes at " + offsetBytes + ", stride " + strideBytes);
      }
    }
  }

  /**
   * One operator.
   *
   * @param reads tensors it reads
   * @param writes tensors it writes
   * @param aliases true for RESHAPE/SQUEEZE/EXPAND_DIMS: the single output is the single input's bytes
   * @param scratchBytes bytes of scratch its kernel takes from the caller (0: none)
   * @param inPlaceInputs inputs its kernel may overwrite with its single output (element-wise kernels read element
   *     i of every input before writing element i); the planner does so only when the input dies at this step
   * @param pointwise how a pointwise (1x1) convolution walks its input and output, when its kernel may write its
   *     output over its input at an offset (see {@link Pointwise}); null for every other step
   * @param inPlaceScratchBytes scratch the step needs only when it runs in place ({@link InPlaceDepthwise}: the
   *     input rows of one band)
   */
  public record Step(int[] reads, int[] writes, boolean aliases, int scratchBytes, int[] inPlaceInputs,
      Pointwise pointwise, int inPlaceScratchBytes) {
    public Step {
      reads = reads.clone();
      writes = writes.clone();
      inPlaceInputs = inPlaceInputs.clone();
    }

    /** A step whose output shares an input's bytes only at the same offset (element-wise, alias). */
    public Step(int[] reads, int[] writes, boolean aliases, int scratchBytes, int[] inPlaceInputs) {
      this(reads, writes, aliases, scratchBytes, inPlaceInputs, null, 0);
    }

    /** A step that may write its output over its input at an offset (a pointwise convolution). */
    public Step(int[] reads, int[] writes, boolean aliases, int scratchBytes, int[] inPlaceInputs,
        Pointwise pointwise) {
      this(reads, writes, aliases, scratchBytes, inPlaceInputs, pointwise, 0);
    }

    /** A step whose output never shares an input's bytes unless it is an alias. */
    public Step(int[] reads, int[] writes, boolean aliases, int scratchBytes) {
      this(reads, writes, aliases, scratchBytes, new int[0], null);
    }
  }

  /**
   * A step whose kernel computes output pixel p from input pixel p alone and walks the pixels forward in blocks of
   * at most {@code blockPixels}: it may read the input of a block and write that block's output in any order, but
   * it never reads an input pixel of an earlier block again, nor one of a later block before it has written the
   * current block. So the output may overwrite the input wherever the bytes written for a block lie below the
   * input bytes not yet read: the output's first byte at least {@link #gapBytes} below the input's first byte.
   *
   * @param input the activation read pixel by pixel
   * @param pixels pixels of input and output (the same)
   * @param inPixelBytes bytes of one input pixel (its channels)
   * @param outPixelBytes bytes of one output pixel
   * @param blockPixels the most pixels the kernel handles together
   */
  public record Pointwise(int input, int pixels, int inPixelBytes, int outPixelBytes, int blockPixels) {
    public Pointwise {
      if (pixels < 1 || inPixelBytes < 1 || outPixelBytes < 1 || blockPixels < 1) {
        throw new IllegalArgumentException("bad pointwise walk: " + pixels + " pixels of " + inPixelBytes + " -> "
            + outPixelBytes + " bytes, blocks of " + blockPixels);
      }
    }

    /**
     * How far below the input's first byte the output's first byte must start. The block [s, e) writes output
     * bytes up to e * out, while the input from s * in on is still to be read, so the gap must be at least
     * e * out - s * in for every block: for a widening step (out >= in) the last block gives the most, pixels *
     * (out - in) + k * in; for a narrowing one the first, k * out (k = the block, at most the pixels).
     */
    public long gapBytes() {
      long k = Math.min(blockPixels, pixels);
      return outPixelBytes >= inPixelBytes
          ? (long) pixels * (outPixelBytes - inPixelBytes) + k * inPixelBytes
          : k * outPixelBytes;
    }
  }

  public TensorGraph {
    tensorBytes = tensorBytes.clone();
    constant = constant.clone();
    steps = List.copyOf(steps);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    views = List.copyOf(views);
  }

  /** A graph without strided views. */
  public TensorGraph(int[] tensorBytes, boolean[] constant, List<Step> steps, List<Integer> inputs,
      List<Integer> outputs) {
    this(tensorBytes, constant, steps, inputs, outputs, List.of());
  }

  /** This graph without its strided views: every tensor in a buffer of its own (but aliases and in-place ops). */
  public TensorGraph withoutViews() {
    return views.isEmpty() ? this : new TensorGraph(tensorBytes, constant, steps, inputs, outputs);
  }

  /** The view of tensor {@code t}, or null. */
  public View viewOf(int t) {
    for (View v : views) {
      if (v.tensor() == t) {
        return v;
      }
    }
    return null;
  }

  /** The graph with only the scratch every core's kernels need alike ({@link KernelScratch#CORE_INDEPENDENT}). */
  public static TensorGraph of(LoweredModel lowered) {
    return of(lowered, KernelScratch.CORE_INDEPENDENT, false);
  }

  /** The graph with each step's scratch as {@code kernels} sizes it (the kernels chosen for one core). */
  public static TensorGraph of(LoweredModel lowered, KernelScratch kernels) {
    return of(lowered, kernels, false);
  }

  /** {@link #of(LoweredModel, KernelScratch, boolean)} with the scratch every core's kernels need alike. */
  public static TensorGraph of(LoweredModel lowered, boolean inPlaceDepthwise) {
    return of(lowered, KernelScratch.CORE_INDEPENDENT, inPlaceDepthwise);
  }

  /**
   * @param kernels sizes each step's kernel scratch (the kernels chosen for one core)
   * @param inPlaceDepthwise also offer the depthwise convolutions that {@link InPlaceDepthwise} can run over their
   *     input as in-place steps (with their band scratch)
   */
  public static TensorGraph of(LoweredModel lowered, KernelScratch kernels, boolean inPlaceDepthwise) {
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
        steps.add(new Step(p.inputTensors(), p.outputTensors(), false, scratchBytes(m, p, kernels),
            new int[] {d.input()}, null, InPlaceDepthwise.scratchBytes(m, d)));
        continue;
      }
      Pointwise walk = p instanceof ConvParams c ? pointwise(c, int8(m, c.input()) && int8(m, c.output())) : null;
      steps.add(new Step(p.inputTensors(), p.outputTensors(), p instanceof CopyParams, scratchBytes(m, p, kernels),
          elementwise(p) ? p.inputTensors() : new int[0], walk));
    }
    return new TensorGraph(bytes, constant, steps, m.inputs(), m.outputs(), ConcatViews.of(lowered));
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
    return new TensorGraph(tensorBytes, c, steps, inputs, outputs,
        views.stream().filter(v -> !c[v.tensor()] && !c[v.parent()]).toList());
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

  /** Output channels up to which every 1x1 kernel walks the pixels once (tfk_conv_1x1_s8_dsp's channel block). */
  static final int POINTWISE_MAX_OUT_CHANNELS = 64;

  /** Pixels the 1x1 kernels handle together at most (four: the _dsp and _mve variants). */
  static final int POINTWISE_BLOCK_PIXELS = 4;

  /**
   * The walk of a CONV_2D whose kernel may write its output over its input, or null. That is a pointwise
   * convolution of int8 tensors ({@code int8}: input and output are) with a 1x1 filter, stride 1, no padding, the
   * output as large as the input, one batch and one group, which OpEmitter.convKernel gives to one of the 1x1 kernels on every core: tfk_conv2d_1x1_s8 and _smlad (blocks of two
   * pixels, every output channel), tfk_conv_1x1_s8_dsp (four pixels widened to the stack before any store, but one
   * walk over the pixels per 64 output channels) and tfk_conv2d_1x1_s8_mve (four pixels, one walk per 256
   * channels). A second walk would read input pixels the first one overwrote, so the output may have at most 64
   * channels. None of them declares its pointers restrict, and each reads an input pixel only through the pointer
   * to it, after the stores of earlier blocks. HostEquivalenceTest and FusedScheduleTest run such schedules.
   */
  public static Pointwise pointwise(ConvParams p, boolean int8) {
    boolean oneByOne = p.filterHeight() == 1 && p.filterWidth() == 1 && p.strideHeight() == 1
        && p.strideWidth() == 1 && p.padHeight() == 0 && p.padWidth() == 0;
    boolean samePixels = p.outputHeight() == p.inputHeight() && p.outputWidth() == p.inputWidth();
    if (!int8 || !oneByOne || !samePixels || p.batches() != 1 || p.filterInputDepth() != p.inputDepth()
        || p.outputDepth() > POINTWISE_MAX_OUT_CHANNELS) {
      return null;
    }
    return new Pointwise(p.input(), p.inputHeight() * p.inputWidth(), p.inputDepth(), p.outputDepth(),
        POINTWISE_BLOCK_PIXELS);
  }

  private static boolean int8(Model m, int tensor) {
    return m.tensor(tensor).type() == TensorType.INT8;
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
