package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import io.tinyforge.lower.AddSubParams;
import io.tinyforge.lower.ConcatParams;
import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.CopyParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.DequantizeParams;
import io.tinyforge.lower.FullyConnectedParams;
import io.tinyforge.lower.HardSwishParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LeakyReluParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.MeanParams;
import io.tinyforge.lower.MinMaxParams;
import io.tinyforge.lower.MulParams;
import io.tinyforge.lower.PadParams;
import io.tinyforge.lower.PoolParams;
import io.tinyforge.lower.PreluParams;
import io.tinyforge.lower.QuantizeParams;
import io.tinyforge.lower.Relu6Params;
import io.tinyforge.lower.ReluParams;
import io.tinyforge.lower.ResizeBilinearParams;
import io.tinyforge.lower.ResizeNearestParams;
import io.tinyforge.lower.SigmoidTanh16Params;
import io.tinyforge.lower.SigmoidTanhParams;
import io.tinyforge.lower.Softmax16Params;
import io.tinyforge.lower.SoftmaxParams;
import io.tinyforge.lower.SplitParams;
import io.tinyforge.lower.StageParams;
import io.tinyforge.lower.StridedSliceParams;
import io.tinyforge.lower.SvdfParams;
import io.tinyforge.lower.TransposeConvParams;
import io.tinyforge.lower.TransposeParams;
import io.tinyforge.memory.Lifetimes;
import io.tinyforge.memory.PatchStage;
import io.tinyforge.memory.TensorGraph;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Translates one lowered operator into template data: the kernel of {@code firmware/include/tfk_kernels.h} that
 * runs it and its arguments, with every parameter copied field for field from the op's {@link KernelParams}
 * record (the single source of the Prepare math: nothing is recomputed here, only shapes are read from tensors).
 */
final class OpEmitter {
  private final Model model;
  private final WeightTable weights;
  private final String scratchArena;
  private final int scratchOffset;
  /** What the board's core offers: kernel variants are chosen from it. */
  private final Isa isa;
  /** {@link #fastDepthwiseOnlyForSmall3x3}: this project's small 3x3 depthwise maps take the 3x3 DSP kernel. */
  private final boolean smallDepthwiseOn3x3Dsp;
  private final LoweredOp op;
  private final String prefix;
  private final List<Map<String, Object>> statics = new ArrayList<>();
  private final List<Map<String, Object>> calls = new ArrayList<>();
  private final Map<Integer, View> views;
  /** Concatenation inputs written straight into their slice of the output (by tensor; empty in patch bands). */
  private final Map<Integer, TensorGraph.View> slices;
  /** The LEAKY_RELU this op's epilogue also applies ({@link #foldsActivation}), or null. */
  private final LeakyReluParams foldedActivation;

  /** A tensor seen through a band of a patch stage: its rows at another address, with the band's shape. */
  record View(Map<String, Object> pointer, int[] shape) {}

  /** The C of one op: constants, calls, and whether it is a pure alias (no call at all). */
  record Emitted(List<Map<String, Object>> statics, List<Map<String, Object>> calls, boolean alias) {}

  private OpEmitter(Model model, WeightTable weights, String scratchArena, int scratchOffset, LoweredOp op,
      String prefix, Map<Integer, View> views, Isa isa, boolean smallDepthwiseOn3x3Dsp) {
    this(model, weights, scratchArena, scratchOffset, op, prefix, views, Map.of(), isa, smallDepthwiseOn3x3Dsp,
        null);
  }

  private OpEmitter(Model model, WeightTable weights, String scratchArena, int scratchOffset, LoweredOp op,
      String prefix, Map<Integer, View> views, Map<Integer, TensorGraph.View> slices, Isa isa,
      boolean smallDepthwiseOn3x3Dsp, LeakyReluParams foldedActivation) {
    this.slices = slices;
    this.foldedActivation = foldedActivation;
    this.isa = isa;
    this.smallDepthwiseOn3x3Dsp = smallDepthwiseOn3x3Dsp;
    this.model = model;
    this.weights = weights;
    this.scratchArena = scratchArena;
    this.scratchOffset = scratchOffset;
    this.op = op;
    this.prefix = prefix;
    this.views = views;
  }

  /**
   * @param scratchArena the arena array holding the op's scratch area (e.g. tf_arena)
   * @param scratchOffset offset of the scratch area in that array (-1: none planned)
   * @param aliasTaken true if the memory plan gave this RESHAPE-like op's output its input's bytes (no call)
   */
  static Emitted emit(Model model, WeightTable weights, String scratchArena, int scratchOffset, LoweredOp op,
      boolean aliasTaken, Isa isa, boolean smallDepthwiseOn3x3Dsp) {
    return emit(model, weights, scratchArena, scratchOffset, op, aliasTaken, isa, smallDepthwiseOn3x3Dsp, Map.of());
  }

  /**
   * As above; {@code slices} are the concatenation inputs the memory plan made strided views of the output
   * ({@link Lifetimes#viewsTaken}): their producers write into the output with its pixel stride, and the
   * concatenation copies only its other inputs.
   */
  static Emitted emit(Model model, WeightTable weights, String scratchArena, int scratchOffset, LoweredOp op,
      boolean aliasTaken, Isa isa, boolean smallDepthwiseOn3x3Dsp, Map<Integer, TensorGraph.View> slices) {
    return emit(model, weights, scratchArena, scratchOffset, op, aliasTaken, isa, smallDepthwiseOn3x3Dsp, slices,
        null);
  }

  /**
   * As above; {@code folded} (or null) is a LEAKY_RELU that runs in place on this CONV_2D's output and whose table
   * the conv applies before it stores ({@link #foldsActivation}): the LEAKY_RELU then emits nothing.
   */
  static Emitted emit(Model model, WeightTable weights, String scratchArena, int scratchOffset, LoweredOp op,
      boolean aliasTaken, Isa isa, boolean smallDepthwiseOn3x3Dsp, Map<Integer, TensorGraph.View> slices,
      LeakyReluParams folded) {
    OpEmitter e = new OpEmitter(model, weights, scratchArena, scratchOffset, op, "op" + op.operator().index() + "_",
        Map.of(), slices, isa, smallDepthwiseOn3x3Dsp, folded);
    if (op.params() instanceof CopyParams && aliasTaken) {
      return new Emitted(List.of(), List.of(), true);
    }
    e.lower(op.params());
    return new Emitted(List.copyOf(e.statics), List.copyOf(e.calls), false);
  }

  /**
   * One op of a patch stage on one band: {@code op}'s params are already cropped to the band, and every activation
   * it touches is read through {@code views} (its band's address and shape); its kernel's scratch, if any, is at
   * {@code scratchOffset} in {@code scratchArena} (inside the stage's scratch).
   */
  static Emitted emitBand(Model model, WeightTable weights, LoweredOp op, String prefix, Map<Integer, View> views,
      Isa isa, boolean smallDepthwiseOn3x3Dsp, String scratchArena, int scratchOffset) {
    OpEmitter e = new OpEmitter(model, weights, scratchArena, scratchOffset, op, prefix, views, isa,
        smallDepthwiseOn3x3Dsp);
    e.lower(op.params());
    return new Emitted(List.copyOf(e.statics), List.copyOf(e.calls), false);
  }

  private void lower(KernelParams params) {
    params.accept(new Dispatch());
  }

  /** Which emitter method writes each kernel's call; javac checks that every params record has one. */
  private final class Dispatch implements KernelParams.Visitor<Void> {
    @Override
    public Void visit(ConvParams p) {
      conv(p);
      return null;
    }

    @Override
    public Void visit(DepthwiseParams p) {
      depthwise(p);
      return null;
    }

    @Override
    public Void visit(TransposeConvParams p) {
      transposeConv(p);
      return null;
    }

    @Override
    public Void visit(FullyConnectedParams p) {
      fullyConnected(p);
      return null;
    }

    @Override
    public Void visit(PoolParams p) {
      pool(p);
      return null;
    }

    @Override
    public Void visit(MeanParams p) {
      mean(p);
      return null;
    }

    @Override
    public Void visit(CopyParams p) {
      call("tfk_copy", ptr(p.input()), ptr(p.output()), Arg.size(p.bytes()));
      return null;
    }

    @Override
    public Void visit(AddSubParams p) {
      addSub(p);
      return null;
    }

    @Override
    public Void visit(MulParams p) {
      mul(p);
      return null;
    }

    @Override
    public Void visit(MinMaxParams p) {
      call(p.maximum() ? "tfk_maximum_s8" : "tfk_minimum_s8", shape("in1_shape", p.input1()), ptr(p.input1()),
          shape("in2_shape", p.input2()), ptr(p.input2()), shape("out_shape", p.output()), ptr(p.output()));
      return null;
    }

    @Override
    public Void visit(PreluParams p) {
      prelu(p);
      return null;
    }

    @Override
    public Void visit(ReluParams p) {
      relu(p);
      return null;
    }

    @Override
    public Void visit(Relu6Params p) {
      call("tfk_relu6_s8", Arg.integer(p.lower()), Arg.integer(p.upper()), Arg.integer(p.count()),
          ptr(p.input()), ptr(p.output()));
      return null;
    }

    @Override
    public Void visit(LeakyReluParams p) {
      leakyRelu(p);
      return null;
    }

    @Override
    public Void visit(HardSwishParams p) {
      hardSwish(p);
      return null;
    }

    @Override
    public Void visit(SigmoidTanhParams p) {
      sigmoidTanh(p);
      return null;
    }

    @Override
    public Void visit(SigmoidTanh16Params p) {
      sigmoidTanh16(p);
      return null;
    }

    @Override
    public Void visit(Softmax16Params p) {
      softmax16(p);
      return null;
    }

    @Override
    public Void visit(SoftmaxParams p) {
      softmax(p);
      return null;
    }

    @Override
    public Void visit(ConcatParams p) {
      concat(p);
      return null;
    }

    @Override
    public Void visit(SplitParams p) {
      split(p);
      return null;
    }

    @Override
    public Void visit(PadParams p) {
      pad(p);
      return null;
    }

    @Override
    public Void visit(ResizeNearestParams p) {
      resizeNearest(p);
      return null;
    }

    @Override
    public Void visit(ResizeBilinearParams p) {
      resizeBilinear(p);
      return null;
    }

    @Override
    public Void visit(QuantizeParams p) {
      quantize(p);
      return null;
    }

    @Override
    public Void visit(DequantizeParams p) {
      dequantize(p);
      return null;
    }

    @Override
    public Void visit(StridedSliceParams p) {
      stridedSlice(p);
      return null;
    }

    @Override
    public Void visit(TransposeParams p) {
      transpose(p);
      return null;
    }

    @Override
    public Void visit(SvdfParams p) {
      svdf(p);
      return null;
    }

    @Override
    public Void visit(StageParams p) {
      throw unsupported("is a schedule step, emitted by PatchEmitter, not by OpEmitter");
    }
  }

  // ------------------------------------------------------------------ convolutions

  private void conv(ConvParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_conv_params", prefix + "params")
        .f("input_offset", p.inputOffset()).f("output_offset", p.outputOffset())
        .f("stride_h", p.strideHeight()).f("stride_w", p.strideWidth())
        .f("dilation_h", p.dilationHeight()).f("dilation_w", p.dilationWidth())
        .f("pad_h", p.padHeight()).f("pad_w", p.padWidth())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    String kernel = int16(p.input()) ? "tfk_conv2d_s16" : convKernel(p, isa);
    if (foldedActivation != null) {
      if (!kernel.equals(CONV_1X1_DSP)) {
        throw new IllegalStateException("op " + op.operator().index() + ": " + kernel + " folds no activation");
      }
      int[] table = new int[256];
      for (int v = -128; v <= 127; v++) {
        table[v + 128] = foldedActivation.apply(v); // in value order: the kernel indexes it with the signed byte
      }
      statics.add(CDecl.intArray("int8_t", prefix + "lut", table));
      int width = p.bias() < 0 ? 4 : narrowBiasWidth(p.bias());
      call(CONV_1X1_DSP + "_lut", ref(params), quant(p.outputMultiplier(), p.outputShift()),
          dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
          dims4("filter_dims", p.outputDepth(), p.filterHeight(), p.filterWidth(), p.filterInputDepth()),
          ptr(p.filter()), p.bias() < 0 ? Arg.none() : Arg.weight(biasBytes(p.bias(), width)), Arg.integer(width),
          Arg.name(prefix + "lut"),
          dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()),
          ptr(foldedActivation.output()));
      return;
    }
    String narrow = narrowBias(kernel, p.bias());
    if (narrow != null) {
      call(kernel + NARROW_BIAS, ref(params), quant(p.outputMultiplier(), p.outputShift()),
          dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
          dims4("filter_dims", p.outputDepth(), p.filterHeight(), p.filterWidth(), p.filterInputDepth()),
          ptr(p.filter()), Arg.weight(narrow), Arg.integer(narrowBiasWidth(p.bias())),
          dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()));
      return;
    }
    call(kernel, ScratchSizes.conv(kernel, p), ref(params), quant(p.outputMultiplier(), p.outputShift()),
        dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
        dims4("filter_dims", p.outputDepth(), p.filterHeight(), p.filterWidth(), p.filterInputDepth()),
        ptr(p.filter()), optional(p.bias()),
        dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()));
  }

  /**
   * The CONV_2D kernel for this layer's shape and the core's instruction set, chosen at compile time like
   * CMSIS-NN's convolve wrapper: a 1x1 filter without padding is a plain matrix multiply ({@code
   * tfk_conv2d_1x1_s8...}, or on a DSP core without Helium {@code tfk_conv_1x1_s8_dsp} when the input depth is a
   * multiple of 4 up to {@value #CONV_1X1_DSP_DEPTH_MAX}: it widens four input pixels into a 2 KiB stack buffer,
   * which it addresses from the stack pointer: as a caller's buffer it cost its channel loop a register and
   * person_detect's first two 1x1 layers 9-14% more instructions);
   * a 3x3 one on a DSP core without Helium whose window fits ({@link #conv3x3DspWindowFits}: ResNet's 16, 32 and 64
   * channels, first layers on 3) widens four pixels' windows once ({@code tfk_conv_3x3_s8_dsp}); any other
   * ungrouped convolution with dilation_w 1 takes contiguous filter rows ({@code tfk_conv2d_fast_s8...});
   * grouped or width-dilated ones the reference loop. The fast kernels come in one variant per {@link Isa} (suffix
   * {@code _smlad} / {@code _dsp} / {@code _mve}, none for portable C); a C file never picks its path by itself.
   * All give the same bytes (firmware/tests check each against TFLM's reference kernel). The 1x1 kernels read every
   * output pixel's input pixel without bounds checks, so they also need the output to be exactly the VALID size (a
   * folded PAD may leave bottom or right padding that they would read past).
   */
  static String convKernel(ConvParams p, Isa isa) {
    boolean ungrouped = p.filterInputDepth() == p.inputDepth();
    boolean validSize = p.outputHeight() == (p.inputHeight() - 1) / p.strideHeight() + 1
        && p.outputWidth() == (p.inputWidth() - 1) / p.strideWidth() + 1;
    if (ungrouped && p.filterHeight() == 1 && p.filterWidth() == 1 && p.padHeight() == 0 && p.padWidth() == 0
        && validSize) {
      boolean dspShape = p.inputDepth() % 4 == 0 && p.inputDepth() <= CONV_1X1_DSP_DEPTH_MAX;
      if (isa == Isa.DSP && dspShape) {
        return "tfk_conv_1x1_s8_dsp";
      }
      return "tfk_conv2d_1x1_s8" + switch (isa) {
        case PORTABLE -> "";
        case DSP -> "_smlad"; // tfk_conv_1x1_s8_smlad.c
        case MVE -> "_mve";
      };
    }
    if (ungrouped && p.dilationWidth() == 1) {
      if (isa == Isa.DSP && p.filterHeight() == 3 && p.filterWidth() == 3 && conv3x3DspWindowFits(p.inputDepth())) {
        return "tfk_conv_3x3_s8_dsp";
      }
      return "tfk_conv2d_fast_s8" + isaSuffix(isa);
    }
    return "tfk_conv2d_s8";
  }

  /**
   * Whether a 3x3 window on {@code inputDepth} channels fits tfk_conv_3x3_s8_dsp's stack buffers: 9 x depth bytes
   * rounded up to four at most {@value #CONV_3X3_DSP_WINDOW_MAX}, or at most {@value #CONV_3X3_DSP_ODD_WINDOW_MAX}
   * when 9 x depth is not a multiple of four (TFK_CONV_3X3_DSP_MAX / _ODD_MAX in tfk_kernels.h).
   */
  private static boolean conv3x3DspWindowFits(int inputDepth) {
    int window = 9 * inputDepth;
    int rounded = (window + 3) & ~3;
    return rounded <= (window % 4 == 0 ? CONV_3X3_DSP_WINDOW_MAX : CONV_3X3_DSP_ODD_WINDOW_MAX);
  }

  /** Longest window tfk_conv_3x3_s8_dsp takes, bytes (TFK_CONV_3X3_DSP_MAX in tfk_kernels.h). */
  static final int CONV_3X3_DSP_WINDOW_MAX = 576;

  /** ... when its length is not a multiple of four (TFK_CONV_3X3_DSP_ODD_MAX in tfk_kernels.h). */
  static final int CONV_3X3_DSP_ODD_WINDOW_MAX = 128;

  /** Deepest input tfk_conv_1x1_s8_dsp takes (TFK_CONV_1X1_DSP_DEPTH_MAX in its C file). */
  static final int CONV_1X1_DSP_DEPTH_MAX = 256;

  /**
   * The general fast DEPTHWISE_CONV_2D kernel in the variant of {@code isa}: it takes every depthwise shape (it
   * hoists the padding checks out of the tap loops); the specialised kernels of {@link #depthwiseKernel} fall back
   * to it.
   */
  static String fastDepthwiseKernel(Isa isa) {
    return "tfk_depthwise_conv2d_fast_s8" + isaSuffix(isa);
  }

  /** The file and function suffix of a kernel variant: none for portable C, {@code _dsp}, {@code _mve}. */
  private static String isaSuffix(Isa isa) {
    return switch (isa) {
      case PORTABLE -> "";
      case DSP -> "_dsp";
      case MVE -> "_mve";
    };
  }

  private void depthwise(DepthwiseParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_dw_conv_params", prefix + "params")
        .f("input_offset", p.inputOffset()).f("output_offset", p.outputOffset())
        .f("stride_h", p.strideHeight()).f("stride_w", p.strideWidth())
        .f("dilation_h", p.dilationHeight()).f("dilation_w", p.dilationWidth())
        .f("pad_h", p.padHeight()).f("pad_w", p.padWidth())
        .f("depth_multiplier", p.depthMultiplier())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    boolean constants = model.tensor(p.filter()).isConstant()
        && (p.bias() < 0 || model.tensor(p.bias()).isConstant());
    String kernel = depthwiseKernel(p, int16(p.input()), constants, isa, smallDepthwiseOn3x3Dsp);
    if (kernel.equals(DW3X3_MVE) || kernel.equals(DW_ONE_INPUT_MVE)) {
      // The Helium kernels read the filter, bias and requantization packed for their vector loops (packDw3x3Mve).
      Dw3x3Mve packed = packDw3x3Mve(p, model.tensor(p.filter()).constantData(),
          p.bias() < 0 ? null : model.tensor(p.bias()).constantData(), kernel.equals(DW_ONE_INPUT_MVE));
      statics.add(CDecl.intArray("int8_t", prefix + "dw_weights", packed.weights()));
      statics.add(requantBlocks(prefix + "dw_rq", packed.rq()));
      call(kernel, ScratchSizes.depthwise(kernel, p), ref(params),
          dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
          dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()),
          Arg.name(prefix + "dw_weights"), Arg.name(prefix + "dw_rq"));
      return;
    }
    if (kernel.equals(DW_ONE_INPUT_DSP)) {
      statics.add(CDecl.intArray("int32_t", prefix + "dw_packed", packDwOneInputDsp(p,
          model.tensor(p.filter()).constantData(), p.bias() < 0 ? null : model.tensor(p.bias()).constantData())));
      call(kernel, ref(params),
          dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
          dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()),
          Arg.name(prefix + "dw_packed"));
      return;
    }
    String narrow = narrowBias(kernel, p.bias());
    if (narrow != null) {
      call(kernel + NARROW_BIAS, ref(params), quant(p.outputMultiplier(), p.outputShift()),
          dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
          dims4("filter_dims", 1, p.filterHeight(), p.filterWidth(), p.outputDepth()), ptr(p.filter()),
          Arg.weight(narrow), Arg.integer(narrowBiasWidth(p.bias())),
          dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()));
      return;
    }
    call(kernel, ScratchSizes.depthwise(kernel, p), ref(params), quant(p.outputMultiplier(), p.outputShift()),
        dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
        dims4("filter_dims", 1, p.filterHeight(), p.filterWidth(), p.outputDepth()), ptr(p.filter()),
        optional(p.bias()),
        dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()));
  }

  /** Output pixels from which tfk_dw_conv_3x3_s8_dsp pays for its per-call tables (6x6 maps do, 3x3 do not). */
  static final int DW_DSP_MIN_PIXELS = 16;
  /** The Helium 3x3 depthwise kernel (firmware/kernels/tfk_dw_conv_3x3_s8_mve.c). */
  static final String DW3X3_MVE = "tfk_dw_conv_3x3_s8_mve";
  /** The Helium kernel for a 3x3 depthwise layer on a one-channel input (tfk_dw_conv_one_input_s8_mve.c). */
  static final String DW_ONE_INPUT_MVE = "tfk_dw_conv_one_input_s8_mve";
  /** The DSP kernel for a 3x3 depthwise layer on a one-channel input (tfk_dw_conv_one_input_s8_dsp.c). */
  static final String DW_ONE_INPUT_DSP = "tfk_dw_conv_one_input_s8_dsp";
  /** Words per output channel of its packed constants (TFK_DW1_DSP_WORDS). */
  static final int DW_ONE_INPUT_DSP_WORDS = 8;

  /** {@link #depthwiseKernel(DepthwiseParams, boolean, boolean, Isa)} for an int8 layer with constant weights. */
  static String depthwiseKernel(DepthwiseParams p, Isa isa) {
    return depthwiseKernel(p, false, true, isa);
  }

  /**
   * The DEPTHWISE_CONV_2D kernel for this layer on this core: 16x8 layers take the int16 kernel. On a Helium core
   * (Cortex-M55) a 3x3, depth multiplier 1, dilation 1 layer with constant filter and bias takes
   * {@code tfk_dw_conv_3x3_s8_mve}, and one on a one-channel input with a depth multiplier that is a multiple of 8
   * (MobileNet's first layer) {@code tfk_dw_conv_one_input_s8_mve}; their constants are packed here at compile
   * time. On a core with the DSP extension but without Helium a 3x3, dilation-1, depth-multiplier-1 layer takes
   * {@code tfk_dw_conv_3x3_s8_dsp} (two taps per SMLAD) when its output map has at least
   * {@link #DW_DSP_MIN_PIXELS} pixels: it prepares its filter and requantization tables once per four channels,
   * which a 3x3 map does not repay (person_detect's 3x3 layers: 7.3 and 6.6 instructions per MAC against 5.8 and
   * 5.4). Everything else takes {@code tfk_depthwise_conv2d_fast_s8}, which takes every shape. All give the
   * reference kernel's bytes (firmware/tests check each against it).
   */
  static String depthwiseKernel(DepthwiseParams p, boolean int16, boolean constantWeights, Isa isa) {
    return depthwiseKernel(p, int16, constantWeights, isa, false);
  }

  /**
   * {@link #depthwiseKernel(DepthwiseParams, boolean, boolean, Isa)}, except that with {@code smallMapsOn3x3Dsp}
   * a 3x3 layer on a DSP core takes {@code tfk_dw_conv_3x3_s8_dsp} whatever its map size (see
   * {@link #fastDepthwiseOnlyForSmall3x3}).
   */
  static String depthwiseKernel(DepthwiseParams p, boolean int16, boolean constantWeights, Isa isa,
      boolean smallMapsOn3x3Dsp) {
    if (int16) {
      return "tfk_depthwise_conv2d_s16";
    }
    boolean dw3x3 = p.filterHeight() == 3 && p.filterWidth() == 3 && p.dilationHeight() == 1
        && p.dilationWidth() == 1 && p.depthMultiplier() == 1;
    if (isa.hasMve() && constantWeights && dw3x3 && p.inputDepth() >= 1) {
      return DW3X3_MVE;
    }
    if (isa.hasMve() && constantWeights && p.filterHeight() == 3 && p.filterWidth() == 3
        && p.dilationHeight() == 1 && p.dilationWidth() == 1 && p.inputDepth() == 1
        && p.depthMultiplier() % 8 == 0 && p.outputDepth() == p.depthMultiplier()) {
      return DW_ONE_INPUT_MVE;
    }
    if (isa == Isa.DSP && constantWeights && oneInput3x3(p) && rshiftOnly(p)) {
      return DW_ONE_INPUT_DSP;
    }
    boolean enoughPixels = smallMapsOn3x3Dsp
        || (long) p.outputHeight() * p.outputWidth() >= DW_DSP_MIN_PIXELS;
    if (dw3x3 && enoughPixels && isa.hasDsp() && !isa.hasMve()) {
      return "tfk_dw_conv_3x3_s8_dsp";
    }
    return fastDepthwiseKernel(isa);
  }

  /**
   * Whether, on this core, the general depthwise kernel ({@link #fastDepthwiseKernel}) would be linked into the
   * project only for 3x3, depth-multiplier-1 layers that {@code tfk_dw_conv_3x3_s8_dsp} passes over because their
   * maps are small ({@link #DW_DSP_MIN_PIXELS}). Those layers then take the 3x3 DSP kernel: the general kernel's
   * ~7 KB of code leaves the image for a few instructions per MAC on layers of few MACs (person_detect's two
   * 3x3-map layers). When another layer needs the general kernel anyway, nothing changes. Both kernels take no
   * caller scratch, so the plan does not depend on this choice.
   */
  static boolean fastDepthwiseOnlyForSmall3x3(LoweredModel lowered, Isa isa) {
    if (isa != Isa.DSP) {
      return false;
    }
    String fast = fastDepthwiseKernel(isa);
    boolean any = false;
    for (LoweredOp op : lowered.ops()) {
      for (KernelParams params : op.params() instanceof PatchStage stage
          ? stage.ops().stream().map(LoweredOp::params).toList() : List.of(op.params())) {
        if (!(params instanceof DepthwiseParams p)) {
          continue;
        }
        Model model = lowered.model();
        boolean constants = model.tensor(p.filter()).isConstant()
            && (p.bias() < 0 || model.tensor(p.bias()).isConstant());
        boolean int16 = model.tensor(p.input()).type() == TensorType.INT16;
        String kernel = depthwiseKernel(p, int16, constants, isa, false);
        if (!kernel.equals(fast)) {
          continue;
        }
        if (!depthwiseKernel(p, int16, constants, isa, true).equals(fast)) {
          any = true;
        } else {
          return false;
        }
      }
    }
    return any;
  }

  /** A 3x3, dilation-1 depthwise layer on a one-channel input: every output channel reads the same window. */
  private static boolean oneInput3x3(DepthwiseParams p) {
    return p.filterHeight() == 3 && p.filterWidth() == 3 && p.dilationHeight() == 1 && p.dilationWidth() == 1
        && p.inputDepth() == 1 && p.outputDepth() == p.depthMultiplier();
  }

  /** Every channel's shift negative and multiplier non-negative: tfk_requantize_rshift is then exact. */
  private static boolean rshiftOnly(DepthwiseParams p) {
    for (int i = 0; i < p.outputShift().length; i++) {
      if (p.outputShift()[i] >= 0 || p.outputMultiplier()[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Packs a one-input 3x3 depthwise layer for {@code tfk_dw_conv_one_input_s8_dsp}, eight words per output channel:
   * the folded bias {@code bias + input_offset * sum of the channel's weights} (mod 2^32), the weight pairs
   * (w0, w1), (w2, w3), (w4, w5), (w6, w7), (w8, 0) with the first in the low half, the multiplier and
   * {@code -shift - 1}.
   */
  static int[] packDwOneInputDsp(DepthwiseParams p, java.nio.ByteBuffer filter, java.nio.ByteBuffer bias) {
    int ch = p.outputDepth();
    int[] out = new int[ch * DW_ONE_INPUT_DSP_WORDS];
    int[] mult = p.outputMultiplier();
    int[] shift = p.outputShift();
    for (int c = 0; c < ch; c++) {
      int[] w = new int[10];
      int sum = 0;
      for (int t = 0; t < 9; t++) {
        w[t] = filter.get(t * ch + c);
        sum += w[t];
      }
      int q = mult.length == 1 ? 0 : c;
      int at = c * DW_ONE_INPUT_DSP_WORDS;
      out[at] = (bias == null ? 0 : bias.getInt(c * 4)) + p.inputOffset() * sum;
      for (int k = 0; k < 5; k++) {
        out[at + 1 + k] = (w[2 * k] & 0xFFFF) | (w[2 * k + 1] << 16);
      }
      out[at + 6] = mult[q];
      out[at + 7] = -shift[q] - 1;
    }
    return out;
  }

  /** The constants of {@code tfk_dw_conv_3x3_s8_mve}: weights and 32 requantization words per 8-channel block. */
  record Dw3x3Mve(int[] weights, int[] rq) {}

  /**
   * Packs a 3x3 depthwise layer's filter ([1,3,3,C] int8), bias (int32, or null) and requantization for the Helium
   * kernel, per block of eight channels: the nine taps' eight weights (72 bytes, missing channels 0), then the
   * folded bias {@code bias + input_offset * sum of the channel's weights} (mod 2^32, as Java int arithmetic
   * wraps), the multipliers, the left shifts {@code max(shift, 0)} and the right shifts {@code min(shift, 0)}, each
   * as four even-channel then four odd-channel lanes (the order VMULLB / VMULLT leave the sums in). With
   * {@code evenOddWeights} (the one-input kernel, which loads each tap's weights as two int32x4) each tap's eight
   * weights are in that order too.
   */
  static Dw3x3Mve packDw3x3Mve(DepthwiseParams p, java.nio.ByteBuffer filter, java.nio.ByteBuffer bias,
      boolean evenOddWeights) {
    int ch = p.outputDepth();
    int blocks = (ch + 7) / 8;
    int[] mult = p.outputMultiplier();
    int[] shift = p.outputShift();
    int[] w = new int[blocks * 72];
    int[] rq = new int[blocks * 32];
    for (int c = 0; c < ch; c++) {
      int block = c / 8;
      int lane = c % 8;
      int sum = 0;
      for (int t = 0; t < 9; t++) {
        int v = filter.get(t * ch + c);
        w[block * 72 + t * 8 + (evenOddWeights ? (lane % 2) * 4 + lane / 2 : lane)] = v;
        sum += v;
      }
      int q = mult.length == 1 ? 0 : c;
      int r = block * 32 + (lane % 2) * 4 + lane / 2;
      rq[r] = (bias == null ? 0 : bias.getInt(c * 4)) + p.inputOffset() * sum;
      rq[r + 8] = mult[q];
      rq[r + 16] = Math.max(shift[q], 0);
      rq[r + 24] = Math.min(shift[q], 0);
    }
    return new Dw3x3Mve(w, rq);
  }

  /**
   * {@link Dw3x3Mve#rq()} (32 values per block of eight channels) as the kernels' tfk_dw8_requant array: int32
   * bias and multiplier, the left and right shifts one byte each (80 bytes a block instead of 128).
   */
  static Map<String, Object> requantBlocks(String name, int[] rq) {
    List<CDecl.Struct> blocks = new ArrayList<>();
    for (int b = 0; b < rq.length / 32; b++) {
      int at = b * 32;
      blocks.add(CDecl.struct("tfk_dw8_requant", name)
          .f("bias", Arrays.copyOfRange(rq, at, at + 8))
          .f("multiplier", Arrays.copyOfRange(rq, at + 8, at + 16))
          .f("left_shift", Arrays.copyOfRange(rq, at + 16, at + 24))
          .f("right_shift", Arrays.copyOfRange(rq, at + 24, at + 32)));
    }
    return CDecl.structArray("tfk_dw8_requant", name, blocks);
  }

  private void transposeConv(TransposeConvParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_transpose_conv_params", prefix + "params")
        .f("input_offset", p.inputOffset()).f("output_offset", p.outputOffset())
        .f("stride_h", p.strideHeight()).f("stride_w", p.strideWidth())
        .f("pad_h", p.padHeight()).f("pad_w", p.padWidth())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    call("tfk_transpose_conv_s8", ref(params), quant(p.outputMultiplier(), p.outputShift()),
        dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.inputDepth()), ptr(p.input()),
        dims4("filter_dims", p.outputDepth(), p.filterHeight(), p.filterWidth(), p.inputDepth()),
        ptr(p.filter()), optional(p.bias()),
        dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.outputDepth()), ptr(p.output()),
        scratch("int32_t"));
  }

  private void fullyConnected(FullyConnectedParams p) {
    CDecl.Struct s = CDecl.struct("tfk_fc_params", prefix + "params")
        .f("input_offset", p.inputOffset()).f("filter_offset", p.filterOffset())
        .f("output_offset", p.outputOffset());
    // The per-tensor kernel reads its one multiplier from the struct, the per-channel one from the arrays.
    s.f("output_multiplier", p.perChannel() ? 0 : p.outputMultiplier()[0])
        .f("output_shift", p.perChannel() ? 0 : p.outputShift()[0])
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax());
    Map<String, Object> params = add(s);
    Map<String, Object> dims = add(CDecl.struct("tfk_fc_dims", prefix + "dims")
        .f("batches", p.batches()).f("accum_depth", p.accumDepth()).f("output_depth", p.outputDepth()));
    String kernel = fcKernel(isa, int16(p.input()), p.perChannel(), p.filterOffset(),
        model.tensor(p.filter()).isConstant()
        && (p.bias() < 0 || model.tensor(p.bias()).isConstant()));
    if (kernel.equals("tfk_fc_s8_dsp")) {
      // Re-laid filter and folded bias replace the model's arrays (no flash added when no other op reads them).
      byte[] filter = new byte[p.outputDepth() * p.accumDepth()];
      model.tensor(p.filter()).constantData().get(0, filter);
      int[] bias = null;
      if (p.bias() >= 0) {
        bias = new int[p.outputDepth()];
        java.nio.ByteBuffer b = model.tensor(p.bias()).constantData();
        for (int i = 0; i < bias.length; i++) {
          bias[i] = b.getInt(i * 4);
        }
      }
      byte[] grouped = FcLayout.groupRows(filter, p.outputDepth(), p.accumDepth());
      int[] folded = FcLayout.foldBias(filter, bias, p.outputDepth(), p.accumDepth(), p.inputOffset());
      long[] groupedValues = new long[grouped.length];
      for (int i = 0; i < grouped.length; i++) {
        groupedValues[i] = grouped[i];
      }
      long[] foldedValues = new long[folded.length];
      for (int i = 0; i < folded.length; i++) {
        foldedValues[i] = folded[i];
      }
      String filterName = weights.useDerived("tf_" + prefix + "filter_grouped", "int8_t", groupedValues,
          "op " + op.operator().index() + ": tensor " + p.filter() + " in groups of four rows (tfk_fc_s8_dsp)");
      String biasName = weights.useDerived("tf_" + prefix + "bias_folded", "int32_t", foldedValues,
          "op " + op.operator().index() + ": " + (p.bias() >= 0 ? "tensor " + p.bias() : "zero bias")
              + " + input offset * row sums of tensor " + p.filter());
      // its scratch is optional (ScratchSizes.optional): none planned under a tight RAM limit, none passed
      call(kernel, scratchOffset < 0 ? 0 : ScratchSizes.fcDsp(p.accumDepth(), p.outputDepth()), ref(params),
          p.perChannel() ? quant(p.outputMultiplier(), p.outputShift()) : Arg.none(),
          ref(dims), ptr(p.input()), Arg.weight(filterName), Arg.weight(biasName), ptr(p.output()));
    } else if (kernel.equals("tfk_fully_connected_s16")) {
      call(kernel, ref(params),
          p.perChannel() ? quant(p.outputMultiplier(), p.outputShift()) : Arg.none(), ref(dims), ptr(p.input()),
          ptr(p.filter()), optional(p.bias()), ptr(p.output()));
    } else if (kernel.startsWith("tfk_fully_connected_per_channel_s8")) {
      call(kernel, ref(params), quant(p.outputMultiplier(), p.outputShift()),
          ref(dims), ptr(p.input()), ptr(p.filter()), optional(p.bias()), ptr(p.output()));
    } else {
      call(kernel, ref(params), ref(dims), ptr(p.input()), ptr(p.filter()), optional(p.bias()), ptr(p.output()));
    }
  }

  /**
   * The FULLY_CONNECTED kernel for a layer: on a DSP core (not Helium, whose dot products in the generic kernel
   * are faster) an int8 layer with symmetric, constant weights and bias runs {@code tfk_fc_s8_dsp} on weights
   * re-laid out at compile time ({@link FcLayout}), per tensor or per channel; everything else the generic kernels
   * in the core's variant ({@code tfk_fully_connected_s8}, {@code _dsp}, {@code _mve}: tfk_fully_connected*.c).
   */
  static String fcKernel(Isa isa, boolean int16, boolean perChannel, int filterOffset, boolean constantWeights) {
    if (int16) {
      return "tfk_fully_connected_s16";
    }
    if (isa == Isa.DSP && filterOffset == 0 && constantWeights) {
      return "tfk_fc_s8_dsp";
    }
    return (perChannel ? "tfk_fully_connected_per_channel_s8" : "tfk_fully_connected_s8") + isaSuffix(isa);
  }

  /**
   * The pooling kernel: AVERAGE_POOL_2D int8 on a Helium core takes {@code tfk_avg_pool2d_s8_mve} (sixteen
   * channels summed per vector step, tfk_avg_pool_s8_mve.c); everything else the portable kernels.
   */
  static String poolKernel(PoolParams.Kind kind, boolean int16, Isa isa) {
    if (int16) {
      return kind == PoolParams.Kind.AVERAGE ? "tfk_avg_pool2d_s16" : "tfk_max_pool2d_s16";
    }
    if (kind == PoolParams.Kind.AVERAGE) {
      return isa.hasMve() ? "tfk_avg_pool2d_s8_mve" : "tfk_avg_pool2d_s8";
    }
    return "tfk_max_pool2d_s8";
  }

  private void pool(PoolParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_pool_params", prefix + "params")
        .f("stride_h", p.strideHeight()).f("stride_w", p.strideWidth())
        .f("filter_h", p.filterHeight()).f("filter_w", p.filterWidth())
        .f("pad_h", p.padHeight()).f("pad_w", p.padWidth())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    Map<String, Object> in = dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.depth());
    Map<String, Object> out = dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.depth());
    TensorGraph.View slice = slices.get(p.output());
    if (slice == null) {
      call(poolKernel(p.kind(), int16(p.input()), isa), ref(params), in, ptr(p.input()), out, ptr(p.output()));
    } else if (p.kind() == PoolParams.Kind.MAX && !int16(p.input())) {
      call("tfk_max_pool2d_s8_strided", ref(params), in, ptr(p.input()), out, Arg.integer(slice.strideBytes()),
          sliceStart(slice));
    } else {
      throw new IllegalStateException("op " + op.operator().index() + ": no strided kernel for this pool");
    }
  }

  private void mean(MeanParams p) {
    int[] axes = p.axes();
    requireRank(axes.length, "MEAN axes");
    // The record's multiplier already has 1/count folded in (TFLM's arithmetic, with a repeated axis counted
    // again); folded_count tells the kernel so, and gives it the count for the zero-point term.
    long count = 1;
    for (int a : axes) {
      count *= p.inputDims()[a];
    }
    if (count > Integer.MAX_VALUE) {
      throw unsupported("reduces " + count + " values per output, more than the kernel counts");
    }
    Map<String, Object> params = add(CDecl.struct("tfk_mean_params", prefix + "params")
        .f("input_zero_point", p.inputZeroPoint()).f("output_zero_point", p.outputZeroPoint())
        .f("multiplier", p.multiplier()).f("shift", p.shift())
        .f("num_axes", axes.length).f("axes", axes.length == 0 ? new int[] {0} : axes)
        .f("folded_count", count));
    call(int16(p.input()) ? "tfk_mean_s16" : "tfk_mean_s8", ref(params), shapeOf("in_shape", p.inputDims()),
        ptr(p.input()), ptr(p.output()));
  }

  // ------------------------------------------------------------------ elementwise

  private void addSub(AddSubParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_add_params", prefix + "params")
        .f("input1_offset", p.input1Offset()).f("input2_offset", p.input2Offset())
        .f("output_offset", p.outputOffset()).f("left_shift", p.leftShift())
        .f("input1_multiplier", p.input1Multiplier()).f("input1_shift", p.input1Shift())
        .f("input2_multiplier", p.input2Multiplier()).f("input2_shift", p.input2Shift())
        .f("output_multiplier", p.outputMultiplier()).f("output_shift", p.outputShift())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    String kernel = elementwiseKernel(p.subtract() ? "sub" : "add", isa, int16(p.input1()),
        elementCount(p.input1()), elementCount(p.input2()), elementCount(p.output()));
    if (kernel.endsWith("_flat_s8")) {
      call(kernel, ref(params), Arg.integer(elementCount(p.output())), ptr(p.input1()), ptr(p.input2()),
          ptr(p.output()));
      return;
    }
    call(kernel, ref(params), shape("in1_shape", p.input1()), ptr(p.input1()),
        shape("in2_shape", p.input2()), ptr(p.input2()), shape("out_shape", p.output()), ptr(p.output()));
  }

  /**
   * The kernel of an ADD ({@code op} "add"), SUB or MUL: without broadcasting (both inputs as many elements as the
   * output, which broadcasting rules allow only for equal shapes) an int8 op runs the flat loop of
   * {@code tfk_elementwise_flat_s8.c}, except ADD and SUB on Helium, whose {@code tfk_add_s8_mve} already rescales
   * four elements per vector on such tensors; everything else the broadcasting kernels, ADD and SUB on Helium in
   * their Helium variant (tfk_add_s8_mve.c).
   */
  static String elementwiseKernel(String op, Isa isa, boolean int16, long count1, long count2, long countOut) {
    if (int16) {
      return "tfk_" + op + "_s16";
    }
    boolean flat = count1 == countOut && count2 == countOut;
    boolean heliumAddSub = isa.hasMve() && !op.equals("mul");
    if (flat && !heliumAddSub) {
      return "tfk_" + op + "_flat_s8";
    }
    return "tfk_" + op + "_s8" + (heliumAddSub ? "_mve" : "");
  }

  /** Elements of a tensor as the kernel sees it (through a patch band's view if it has one). */
  private long elementCount(int tensor) {
    int[] dims = views.containsKey(tensor) ? views.get(tensor).shape() : model.tensor(tensor).shape().toArray();
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  private void mul(MulParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_mul_params", prefix + "params")
        .f("input1_offset", p.input1Offset()).f("input2_offset", p.input2Offset())
        .f("output_offset", p.outputOffset())
        .f("output_multiplier", p.outputMultiplier()).f("output_shift", p.outputShift())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    String kernel = elementwiseKernel("mul", isa, int16(p.input1()), elementCount(p.input1()),
        elementCount(p.input2()), elementCount(p.output()));
    if (kernel.endsWith("_flat_s8")) {
      call(kernel, ref(params), Arg.integer(elementCount(p.output())), ptr(p.input1()), ptr(p.input2()),
          ptr(p.output()));
      return;
    }
    call(kernel, ref(params), shape("in1_shape", p.input1()),
        ptr(p.input1()),
        shape("in2_shape", p.input2()), ptr(p.input2()), shape("out_shape", p.output()), ptr(p.output()));
  }

  private void prelu(PreluParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_prelu_params", prefix + "params")
        .f("input_offset", p.inputOffset()).f("alpha_offset", p.alphaOffset()).f("output_offset", p.outputOffset())
        .f("output_multiplier_1", p.outputMultiplier1()).f("output_shift_1", p.outputShift1())
        .f("output_multiplier_2", p.outputMultiplier2()).f("output_shift_2", p.outputShift2()));
    call("tfk_prelu_s8", ref(params), shape("in_shape", p.input()), ptr(p.input()),
        shape("alpha_shape", p.alpha()), ptr(p.alpha()), shape("out_shape", p.output()), ptr(p.output()));
  }

  // ------------------------------------------------------------------ activations

  private void relu(ReluParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_relu_params", prefix + "params")
        .f("input_offset", p.inputZeroPoint()).f("output_offset", p.outputOffset())
        .f("output_multiplier", p.outputMultiplier()).f("output_shift", p.outputShift())
        .f("activation_min", p.activationMin()).f("activation_max", p.activationMax()));
    call("tfk_relu_s8", ref(params), Arg.integer(p.count()), ptr(p.input()), ptr(p.output()));
  }

  private void leakyRelu(LeakyReluParams p) {
    // An int8 -> int8 function of one value: 256 outputs computed here with the simulator's own arithmetic make
    // the op a table lookup (about 4 instructions per element instead of ~35 for two requantizations).
    if (p.count() >= LUT_MIN_ELEMENTS) {
      int[] table = new int[256];
      for (int v = -128; v <= 127; v++) {
        table[v & 0xFF] = p.apply(v); // indexed by the input's own byte (tfk_lut_s8)
      }
      statics.add(CDecl.intArray("int8_t", prefix + "lut", table));
      call("tfk_lut_s8", Arg.name(prefix + "lut"), Arg.integer(p.count()), ptr(p.input()), ptr(p.output()));
      return;
    }
    // tfk_leaky_relu_s8 reads a negative alpha multiplier as "negate the rescaled magnitude", which is what the
    // record's negateAlpha flag says TFLM does.
    long alpha = p.negateAlpha() ? -(long) p.multiplierAlpha() : p.multiplierAlpha();
    Map<String, Object> params = add(CDecl.struct("tfk_leaky_relu_params", prefix + "params")
        .f("input_offset", p.inputZeroPoint()).f("output_offset", p.outputZeroPoint())
        .f("output_multiplier_alpha", alpha).f("output_shift_alpha", p.shiftAlpha())
        .f("output_multiplier_identity", p.multiplierIdentity()).f("output_shift_identity", p.shiftIdentity()));
    call("tfk_leaky_relu_s8", ref(params), Arg.integer(p.count()), ptr(p.input()), ptr(p.output()));
  }

  private void hardSwish(HardSwishParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_hard_swish_params", prefix + "params")
        .f("input_zero_point", p.inputZeroPoint()).f("output_zero_point", p.outputZeroPoint())
        .f("reluish_multiplier_fixedpoint_int16", p.reluishMultiplierFixedpointInt16())
        .f("reluish_multiplier_exponent", p.reluishMultiplierExponent())
        .f("output_multiplier_fixedpoint_int16", p.outputMultiplierFixedpointInt16())
        .f("output_multiplier_exponent", p.outputMultiplierExponent()));
    call("tfk_hard_swish_s8", ref(params), Arg.integer(p.count()), ptr(p.input()), ptr(p.output()));
  }

  private void sigmoidTanh(SigmoidTanhParams p) {
    Map<String, Object> params = add(CDecl.struct(p.tanh() ? "tfk_tanh_params" : "tfk_logistic_params",
        prefix + "params")
        .f("input_zero_point", p.inputZeroPoint()).f("input_range_radius", p.inputRangeRadius())
        .f("input_multiplier", p.inputMultiplier()).f("input_left_shift", p.inputLeftShift()));
    call(p.tanh() ? "tfk_tanh_s8" : "tfk_logistic_s8", ref(params), Arg.integer(p.count()), ptr(p.input()),
        ptr(p.output()));
  }

  private void softmax(SoftmaxParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_softmax_params", prefix + "params")
        .f("input_multiplier", p.inputMultiplier()).f("input_left_shift", p.inputLeftShift())
        .f("diff_min", p.diffMin()));
    call(p.outputBytes() == 2 ? "tfk_softmax_s8_s16" : "tfk_softmax_s8", ref(params), Arg.integer(p.outerSize()), Arg.integer(p.depth()), ptr(p.input()),
        ptr(p.output()));
  }

  /** Name of the sigmoid table every int16 LOGISTIC / TANH of a project shares (printed once). */
  static final String SIGMOID_TABLE = "int16_sigmoid_table";
  /** Names of the int16 SOFTMAX tables every int16 SOFTMAX of a project shares. */
  static final String EXP_TABLE = "int16_softmax_exp_table";
  static final String RECIPROCAL_TABLE = "int16_softmax_reciprocal_table";

  /** int16 LOGISTIC / TANH: the sigmoid table is a compile-time constant (Int16Luts), one per project. */
  private void sigmoidTanh16(SigmoidTanh16Params p) {
    statics.add(CDecl.intArray("uint16_t", SIGMOID_TABLE, p.sigmoidTable()));
    Map<String, Object> params = add(CDecl.struct("tfk_sigmoid_s16_params", prefix + "params")
        .f("input_multiplier", p.inputMultiplier()).f("input_right_shift", p.inputRightShift())
        .ref("sigmoid_table", Arg.name(SIGMOID_TABLE)));
    call(p.tanh() ? "tfk_tanh_s16" : "tfk_logistic_s16", ref(params), Arg.integer(p.count()), ptr(p.input()),
        ptr(p.output()));
  }

  /** int16 SOFTMAX: the exp and 1/(1+x) tables are compile-time constants (Int16Luts), one pair per project. */
  private void softmax16(Softmax16Params p) {
    statics.add(CDecl.intArray("int16_t", EXP_TABLE, widen(p.expTable())));
    statics.add(CDecl.intArray("int16_t", RECIPROCAL_TABLE, widen(p.reciprocalTable())));
    Map<String, Object> params = add(CDecl.struct("tfk_softmax_s16_params", prefix + "params")
        .f("input_multiplier", p.inputMultiplier()).f("input_shift", p.inputShift())
        .ref("exp_table", Arg.name(EXP_TABLE))
        .ref("reciprocal_table", Arg.name(RECIPROCAL_TABLE)));
    call("tfk_softmax_s16", ref(params), Arg.integer(p.outerSize()), Arg.integer(p.depth()), ptr(p.input()),
        ptr(p.output()));
  }

  private static int[] widen(short[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  // ------------------------------------------------------------------ stateful

  /** SVDF: the state pointer is the tensor's persistent array, outside the arena (see ProjectModel). */
  private void svdf(SvdfParams p) {
    Map<String, Object> params = add(CDecl.struct("tfk_svdf_params", prefix + "params")
        .f("batches", p.batches()).f("input_size", p.inputSize()).f("filters", p.filters())
        .f("rank", p.rank()).f("memory", p.memory())
        .f("input_zero_point", p.inputZeroPoint()).f("state_zero_point", p.stateZeroPoint())
        .f("output_zero_point", p.outputZeroPoint())
        .f("feature_multiplier", p.featureMultiplier()).f("feature_shift", p.featureShift())
        .f("output_multiplier", p.outputMultiplier()).f("output_shift", p.outputShift()));
    call(p.stateBytes() == 2 ? "tfk_svdf_s8_s16" : "tfk_svdf_s8_s8", ref(params), ptr(p.input()),
        ptr(p.weightsFeature()), ptr(p.weightsTime()), ptr(p.bias()), ptr(p.state()), ptr(p.output()));
  }

  // ------------------------------------------------------------------ data movement

  /**
   * The first byte of a strided view's slice: its parent's pointer plus the slice's offset (the view has no arena
   * place of its own; int8, so bytes are elements).
   */
  private Map<String, Object> sliceStart(TensorGraph.View slice) {
    return Arg.tensorAt(slice.parent(), slice.offsetBytes());
  }

  /**
   * CONCATENATION: one tfk_concatenation call, or, when some inputs were written straight into their slices by
   * their producers, one tfk_copy_into_slice per other input (none at all when every input was).
   */
  private void concat(ConcatParams p) {
    boolean anyInPlace = false;
    for (int t : p.inputs()) {
      anyInPlace |= slices.containsKey(t);
    }
    if (anyInPlace) {
      long runBytes = 0;
      for (int size : p.copySizes()) {
        runBytes += (long) size * p.elementBytes();
      }
      long offset = 0;
      for (int i = 0; i < p.inputs().length; i++) {
        long bytes = (long) p.copySizes()[i] * p.elementBytes();
        if (!slices.containsKey(p.inputs()[i])) {
          call("tfk_copy_into_slice", ptr(p.inputs()[i]), Arg.size(p.outerSize()), Arg.size(bytes),
              Arg.size(runBytes), Arg.tensorAt(p.output(), offset / p.elementBytes()));
        }
        offset += bytes;
      }
      return;
    }
    List<Map<String, Object>> ins = new ArrayList<>();
    long[] bytes = new long[p.inputs().length];
    for (int i = 0; i < p.inputs().length; i++) {
      ins.add(ptr(p.inputs()[i]));
      bytes[i] = (long) p.copySizes()[i] * p.elementBytes();
    }
    statics.add(CDecl.pointerArray(prefix + "inputs", true, ins));
    statics.add(CDecl.sizeArray(prefix + "copy_bytes", bytes));
    call("tfk_concatenation", Arg.integer(p.inputs().length), Arg.name(prefix + "inputs"),
        Arg.name(prefix + "copy_bytes"), Arg.size(p.outerSize()), ptr(p.output()));
  }

  private void split(SplitParams p) {
    List<Map<String, Object>> outs = new ArrayList<>();
    long[] bytes = new long[p.outputs().length];
    for (int i = 0; i < p.outputs().length; i++) {
      outs.add(ptr(p.outputs()[i]));
      bytes[i] = (long) p.copySizes()[i] * p.elementBytes();
    }
    statics.add(CDecl.pointerArray(prefix + "outputs", false, outs));
    statics.add(CDecl.sizeArray(prefix + "copy_bytes", bytes));
    call("tfk_split", ptr(p.input()), Arg.integer(p.outputs().length), Arg.name(prefix + "outputs"),
        Arg.name(prefix + "copy_bytes"), Arg.size(p.outerSize()));
  }

  private void pad(PadParams p) {
    int[] out = p.outputDims();
    requireRank(out.length, "PAD");
    int[] in = new int[out.length];
    for (int i = 0; i < out.length; i++) {
      in[i] = out[i] - p.leftPadding()[i] - p.rightPadding()[i];
    }
    int[][] flat = mergeUnpaddedInnerDims(in, p.leftPadding(), p.rightPadding());
    Map<String, Object> params = add(CDecl.struct("tfk_pad_params", prefix + "params")
        .f("rank", flat[0].length).f("before", flat[1]).f("after", flat[2]));
    Map<String, Object> value = p.padValueTensor() >= 0 ? Arg.firstElement(p.padValueTensor())
        : Arg.integer(p.padValue());
    call(int16(p.input()) ? "tfk_pad_s16" : "tfk_pad_s8", ref(params), shapeOf("in_shape", flat[0]),
        ptr(p.input()), value, ptr(p.output()));
  }

  /**
   * The same PAD over fewer dimensions: an innermost dimension without padding is merged into the one before it
   * (its size and that one's padding multiplied by it), so the kernel's rows, which it writes with one memset and
   * one memcpy each, become long runs: NHWC padding of H and W copies whole W*C rows instead of C-byte pixels.
   * Returns {shape, before, after}; nothing changes when the innermost dimension is padded.
   */
  static int[][] mergeUnpaddedInnerDims(int[] shape, int[] before, int[] after) {
    int rank = shape.length;
    int[] dims = shape.clone();
    int[] b = before.clone();
    int[] a = after.clone();
    while (rank > 1 && b[rank - 1] == 0 && a[rank - 1] == 0) {
      int inner = dims[rank - 1];
      dims[rank - 2] *= inner;
      b[rank - 2] *= inner;
      a[rank - 2] *= inner;
      rank--;
    }
    return new int[][] {java.util.Arrays.copyOf(dims, rank), java.util.Arrays.copyOf(b, rank),
        java.util.Arrays.copyOf(a, rank)};
  }

  private void resizeNearest(ResizeNearestParams p) {
    OpOptions.Resize o = op.operator().options(OpOptions.Resize.class);
    Map<String, Object> in = dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.depth());
    Map<String, Object> out = dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.depth());
    Map<String, Object> alignCorners = Arg.integer(o.alignCorners() ? 1 : 0);
    Map<String, Object> halfPixelCenters = Arg.integer(o.halfPixelCenters() ? 1 : 0);
    Map<String, Object> elementBytes = Arg.size(model.tensor(p.input()).type().bytes());
    TensorGraph.View slice = slices.get(p.output());
    if (slice == null) {
      call("tfk_resize_nearest", in, ptr(p.input()), out, alignCorners, halfPixelCenters, elementBytes,
          ptr(p.output()));
    } else { // (views are int8: the stride in bytes is the stride in elements)
      call("tfk_resize_nearest_strided", in, ptr(p.input()), out, alignCorners, halfPixelCenters, elementBytes,
          Arg.integer(slice.strideBytes()), sliceStart(slice));
    }
  }

  private void resizeBilinear(ResizeBilinearParams p) {
    OpOptions.Resize o = op.operator().options(OpOptions.Resize.class);
    call("tfk_resize_bilinear_s8",
        dims4("in_dims", p.batches(), p.inputHeight(), p.inputWidth(), p.depth()), ptr(p.input()),
        dims4("out_dims", p.batches(), p.outputHeight(), p.outputWidth(), p.depth()),
        Arg.integer(o.alignCorners() ? 1 : 0), Arg.integer(o.halfPixelCenters() ? 1 : 0), ptr(p.output()));
  }

  private void quantize(QuantizeParams p) {
    if (p.kind() == QuantizeParams.Kind.FROM_FLOAT) {
      String fn = switch (p.outputBytes()) {
        case 1 -> "tfk_quantize_f32_s8";
        case 2 -> "tfk_quantize_f32_s16";
        default -> throw unsupported("writes " + p.outputBytes() + "-byte values");
      };
      call(fn, Arg.real(p.scale()), Arg.integer(p.zeroPoint()), Arg.integer(p.count()), ptr(p.input()),
          ptr(p.output()));
      return;
    }
    String fn = p.inputBytes() == 1 && p.outputBytes() == 1 ? "tfk_requantize_s8_s8"
        : p.inputBytes() == 1 && p.outputBytes() == 2 ? "tfk_requantize_s8_s16"
        : p.inputBytes() == 2 && p.outputBytes() == 1 ? "tfk_requantize_s16_s8"
        : p.inputBytes() == 2 && p.outputBytes() == 2 ? "tfk_requantize_s16_s16"
        : p.inputBytes() == 1 && p.outputBytes() == 4 ? "tfk_requantize_s8_s32"
        : p.inputBytes() == 2 && p.outputBytes() == 4 ? "tfk_requantize_s16_s32" : null;
    if (fn == null) {
      throw unsupported("requantizes " + p.inputBytes() + "-byte to " + p.outputBytes()
          + "-byte values, which tfk has no kernel for");
    }
    Map<String, Object> params = add(CDecl.struct("tfk_requantize_params", prefix + "params")
        .f("input_zero_point", p.inputZeroPoint()).f("output_zero_point", p.zeroPoint())
        .f("multiplier", p.multiplier()).f("shift", p.shift()));
    call(fn, ref(params), Arg.integer(p.count()), ptr(p.input()), ptr(p.output()));
  }

  private void dequantize(DequantizeParams p) {
    String fn = switch (p.inputBytes()) {
      case 1 -> "tfk_dequantize_s8_f32";
      case 2 -> "tfk_dequantize_s16_f32";
      default -> throw unsupported("reads " + p.inputBytes() + "-byte values");
    };
    call(fn, Arg.real(p.scale()), Arg.integer(p.zeroPoint()), Arg.integer(p.count()), ptr(p.input()),
        ptr(p.output()));
  }

  private void stridedSlice(StridedSliceParams p) {
    int rank = p.inputDims().length;
    requireRank(rank, "STRIDED_SLICE");
    Map<String, Object> params = add(CDecl.struct("tfk_strided_slice_params", prefix + "params")
        .f("rank", rank).f("start", p.start()).f("stop", p.stop()).f("step", p.stride()));
    call("tfk_strided_slice", ref(params), shapeOf("in_shape", p.inputDims()), ptr(p.input()),
        Arg.size(p.elementBytes()), ptr(p.output()));
  }

  private void transpose(TransposeParams p) {
    int[] in = p.inputDims();
    int[] perm = TransposePermutation.of(in, p.outputDims(), p.inputStrides());
    requireRank(in.length, "TRANSPOSE");
    statics.add(CDecl.intArray("int32_t", prefix + "perm", perm));
    call("tfk_transpose", shapeOf("in_shape", in), Arg.name(prefix + "perm"), ptr(p.input()),
        Arg.size(p.elementBytes()), ptr(p.output()));
  }

  // ------------------------------------------------------------------ pieces

  private Map<String, Object> scratch(String ctype) {
    if (scratchOffset < 0) {
      throw new IllegalStateException("op " + op.operator().index() + " needs scratch the plan did not give it");
    }
    return Arg.scratch(scratchArena, scratchOffset, ctype);
  }

  /** Below this many elements a 256-byte table costs more flash than the computation costs time. */
  static final int LUT_MIN_ELEMENTS = 256;

  private Map<String, Object> add(CDecl.Struct s) {
    Map<String, Object> m = s.build();
    statics.add(m);
    return m;
  }

  private static Map<String, Object> ref(Map<String, Object> struct) {
    return Arg.address((String) struct.get("name"));
  }

  private void call(String fn, Map<String, Object>... args) {
    calls.add(CDecl.call(fn, List.of(args)));
  }

  /**
   * A call of a kernel that may take scratch ({@link ScratchSizes#TAKE_SCRATCH}): after {@code args} its planned
   * scratch area and {@code scratchBytes} (NULL and 0 when it needs none this time).
   */
  @SafeVarargs
  private void call(String fn, int scratchBytes, Map<String, Object>... args) {
    List<Map<String, Object>> all = new java.util.ArrayList<>(List.of(args));
    if (ScratchSizes.TAKE_SCRATCH.contains(fn)) {
      all.add(scratchBytes > 0 ? scratch("void") : Arg.none());
      all.add(Arg.size(scratchBytes));
    }
    calls.add(CDecl.call(fn, all));
  }

  /** Suffix of the entry points that take biases of 2, 3 or 4 bytes each (tfk_bias_at in tfk_math.h). */
  static final String NARROW_BIAS = "_narrow_bias";
  /** The kernels with a {@link #NARROW_BIAS} entry point: they read their biases once per call. */
  static final java.util.Set<String> NARROW_BIAS_KERNELS = java.util.Set.of("tfk_conv_1x1_s8_dsp",
      "tfk_dw_conv_3x3_s8_dsp");

  /**
   * The bias tensor stored at the narrowest width that holds every value (2 or 3 bytes each, little-endian), for a
   * kernel that takes it so; null when the kernel does not, the bias is absent or computed at run time, or only
   * 4 bytes hold it. Raw int8 biases rarely need more than 3 bytes; the kernels read each once per call, so the
   * narrower array costs next to no instruction.
   */
  private String narrowBias(String kernel, int bias) {
    if (!NARROW_BIAS_KERNELS.contains(kernel) || bias < 0 || !model.tensor(bias).isConstant()
        || views.containsKey(bias)) {
      return null;
    }
    int width = narrowBiasWidth(bias);
    if (width == 4) {
      return null;
    }
    return biasBytes(bias, width);
  }

  /** The constant bias tensor as {@code width} (2, 3 or 4) little-endian bytes per value, in model_weights.c. */
  private String biasBytes(int bias, int width) {
    int[] values = biasValues(bias);
    long[] bytes = new long[values.length * width];
    for (int c = 0; c < values.length; c++) {
      for (int k = 0; k < width; k++) {
        bytes[c * width + k] = (values[c] >>> (8 * k)) & 0xFF;
      }
    }
    return weights.useDerived(WeightTable.name(bias) + "_b" + width, "uint8_t", bytes, "tensor " + bias
        + " (bias), " + width + " bytes per value, little-endian");
  }

  /** The DSP 1x1 CONV_2D kernel; its _lut entry point applies a folded activation's table before each store. */
  static final String CONV_1X1_DSP = "tfk_conv_1x1_s8_dsp";

  /**
   * Whether {@code activation}, a LEAKY_RELU reading {@code conv}'s output, folds into the conv's epilogue on this
   * core: the conv runs {@link #CONV_1X1_DSP} with constant filter and bias, and the activation is big enough to be a
   * table ({@link #LUT_MIN_ELEMENTS}). The caller checks the rest (the activation runs in place on the conv's output,
   * which nothing else reads and which is no graph output). One load per output replaces the activation's pass over
   * the tensor (about 4 instructions per element).
   */
  static boolean foldsActivation(Model model, ConvParams conv, LeakyReluParams activation, Isa isa) {
    return conv.output() == activation.input() && activation.count() >= LUT_MIN_ELEMENTS
        && model.tensor(conv.input()).type() != TensorType.INT16 && convKernel(conv, isa).equals(CONV_1X1_DSP)
        && model.tensor(conv.filter()).isConstant() && (conv.bias() < 0 || model.tensor(conv.bias()).isConstant());
  }

  /** Bytes per value that hold every value of a constant int32 bias tensor: 2, 3 or 4. */
  private int narrowBiasWidth(int bias) {
    int width = 2;
    for (int v : biasValues(bias)) {
      if (v < -(1 << 23) || v >= (1 << 23)) {
        return 4;
      }
      if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
        width = 3;
      }
    }
    return width;
  }

  private int[] biasValues(int bias) {
    java.nio.ByteBuffer b = model.tensor(bias).constantData().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int[] values = new int[model.tensor(bias).shape().elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getInt(i * 4);
    }
    return values;
  }

  /** Pointer to a tensor's bytes: the arena for activations, model_weights.c for constants, state arrays. */
  private Map<String, Object> ptr(int tensor) {
    if (views.containsKey(tensor)) {
      return views.get(tensor).pointer();
    }
    Tensor t = model.tensor(tensor);
    if (t.isVariable()) {
      return Arg.name(ProjectModel.stateArrayName(tensor));
    }
    return t.isConstant() ? Arg.weight(weights.use(t)) : Arg.tensor(tensor);
  }

  /** Whether a tensor holds int16 values: the op then runs its 16x8 kernel. */
  private boolean int16(int tensor) {
    return model.tensor(tensor).type() == io.tinyforge.model.TensorType.INT16;
  }

  private Map<String, Object> optional(int tensor) {
    return tensor < 0 ? Arg.none() : ptr(tensor);
  }

  /**
   * The per-channel requantization arrays: int32 multipliers and int8 shifts. QuantizeMultiplier flushes shifts
   * below -31 to 0 and real models stay far below +31, so a byte per channel holds every shift (TFLM keeps int32:
   * three bytes of flash per channel for nothing).
   */
  private Map<String, Object> quant(int[] multipliers, int[] shifts) {
    for (int s : shifts) {
      if (s < Byte.MIN_VALUE || s > Byte.MAX_VALUE) {
        throw unsupported("has a requantization shift of " + s + " (its input, filter and output scales are "
            + "more than 2^127 apart); re-quantize the model with sane scales");
      }
    }
    statics.add(CDecl.intArray("int32_t", prefix + "multiplier", multipliers));
    statics.add(CDecl.intArray("int8_t", prefix + "shift", shifts));
    return ref(add(CDecl.struct("tfk_per_channel_quant", prefix + "quant")
        .ref("multiplier", Arg.name(prefix + "multiplier")).ref("shift", Arg.name(prefix + "shift"))));
  }

  private Map<String, Object> dims4(String name, int n, int h, int w, int c) {
    return ref(add(CDecl.struct("tfk_dims4", prefix + name).f("n", n).f("h", h).f("w", w).f("c", c)));
  }

  private Map<String, Object> shape(String name, int tensor) {
    if (views.containsKey(tensor)) {
      return shapeOf(name, views.get(tensor).shape());
    }
    return shapeOf(name, model.tensor(tensor).shape().toArray());
  }

  private Map<String, Object> shapeOf(String name, int[] dims) {
    requireRank(dims.length, "tensor");
    return ref(add(CDecl.struct("tfk_shape", prefix + name).f("rank", dims.length)
        .f("dims", dims.length == 0 ? new int[] {1} : dims)));
  }

  private void requireRank(int rank, String what) {
    if (rank > 6) {
      throw unsupported("has a " + what + " of rank " + rank + "; the C kernels take at most 6 dimensions");
    }
  }

  private TinyforgeException unsupported(String why) {
    return new TinyforgeException(model.source() + ": op " + op.operator().index() + " ("
        + op.operator().opName() + ") " + why);
  }
}
