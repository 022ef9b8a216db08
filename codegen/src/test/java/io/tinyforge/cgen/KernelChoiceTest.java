package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.FeatureMaps;
import io.tinyforge.lower.PoolParams;
import io.tinyforge.lower.Requantization;
import io.tinyforge.lower.Window;
import org.junit.jupiter.api.Test;

/** The generator alone picks each fast kernel's variant, from the layer's shape and the core's instruction set. */
class KernelChoiceTest {
  private static ConvParams conv(int inDepth, int filterInputDepth, int kh, int kw, int pad, int dilationW) {
    int outH = 8 - (kh - 1) + 2 * pad;
    int outW = 8 - (kw - 1) * dilationW + 2 * pad;
    FeatureMaps maps = new FeatureMaps(1, 8, 8, inDepth, outH, outW, 4);
    Window window = new Window(kh, kw, 1, 1, 1, dilationW, pad, pad);
    Requantization rq = new Requantization(new int[4], new int[4], 0, -128, 127);
    return new ConvParams(0, 1, 2, 3, maps, filterInputDepth, window, 0, rq);
  }

  @Test
  void oneByOneConvolutionTakesTheMatrixMultiplyOfTheCore() {
    ConvParams p = conv(16, 16, 1, 1, 0, 1);
    assertEquals("tfk_conv2d_1x1_s8", OpEmitter.convKernel(p, Isa.PORTABLE));
    assertEquals("tfk_conv_1x1_s8_dsp", OpEmitter.convKernel(p, Isa.DSP));
    assertEquals("tfk_conv2d_1x1_s8_mve", OpEmitter.convKernel(p, Isa.MVE));
    // depths tfk_conv_1x1_s8_dsp does not take (ConvKernelChoiceTest) keep the general DSP variant
    assertEquals("tfk_conv2d_1x1_s8_smlad", OpEmitter.convKernel(conv(6, 6, 1, 1, 0, 1), Isa.DSP));
  }

  @Test
  void otherUngroupedConvolutionsTakeTheFastKernelOfTheCore() {
    ConvParams p = conv(8, 8, 3, 2, 1, 1);
    assertEquals("tfk_conv2d_fast_s8", OpEmitter.convKernel(p, Isa.PORTABLE));
    assertEquals("tfk_conv2d_fast_s8_dsp", OpEmitter.convKernel(p, Isa.DSP));
    assertEquals("tfk_conv2d_fast_s8_mve", OpEmitter.convKernel(p, Isa.MVE));
    // 3x3 on DSP cores: the widened-window kernel (ConvKernelChoiceTest)
    assertEquals("tfk_conv_3x3_s8_dsp", OpEmitter.convKernel(conv(8, 8, 3, 3, 1, 1), Isa.DSP));
    // padding rules the 1x1 kernel out, whatever the core
    assertEquals("tfk_conv2d_fast_s8_dsp", OpEmitter.convKernel(conv(8, 8, 1, 1, 1, 1), Isa.DSP));
  }

  @Test
  void groupedOrWidthDilatedConvolutionsKeepTheReferenceKernelOnEveryCore() {
    for (Isa isa : Isa.values()) {
      assertEquals("tfk_conv2d_s8", OpEmitter.convKernel(conv(8, 4, 3, 3, 1, 1), isa));
      assertEquals("tfk_conv2d_s8", OpEmitter.convKernel(conv(8, 8, 3, 3, 0, 2), isa));
    }
  }

  @Test
  void depthwiseTakesTheFastKernelOfTheCore() {
    assertEquals("tfk_depthwise_conv2d_fast_s8", OpEmitter.fastDepthwiseKernel(Isa.PORTABLE));
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.fastDepthwiseKernel(Isa.DSP));
    assertEquals("tfk_depthwise_conv2d_fast_s8_mve", OpEmitter.fastDepthwiseKernel(Isa.MVE));
  }

  @Test
  void fullyConnectedTakesTheGenericKernelOfTheCoreWhenNotRelaid() {
    // asymmetric or computed weights: the generic kernel in the core's variant (tfk_fully_connected*.c)
    assertEquals("tfk_fully_connected_s8", OpEmitter.fcKernel(Isa.PORTABLE, false, false, 0, true));
    assertEquals("tfk_fully_connected_s8_dsp", OpEmitter.fcKernel(Isa.DSP, false, false, 3, true));
    assertEquals("tfk_fully_connected_per_channel_s8_dsp", OpEmitter.fcKernel(Isa.DSP, false, true, 0, false));
    assertEquals("tfk_fully_connected_s8_mve", OpEmitter.fcKernel(Isa.MVE, false, false, 0, true));
    assertEquals("tfk_fully_connected_per_channel_s8_mve", OpEmitter.fcKernel(Isa.MVE, false, true, 0, true));
    assertEquals("tfk_fully_connected_s16", OpEmitter.fcKernel(Isa.MVE, true, false, 0, true));
  }

  @Test
  void averagePoolingTakesTheHeliumKernelOnlyOnHeliumCores() {
    assertEquals("tfk_avg_pool2d_s8", OpEmitter.poolKernel(PoolParams.Kind.AVERAGE, false, Isa.PORTABLE));
    assertEquals("tfk_avg_pool2d_s8", OpEmitter.poolKernel(PoolParams.Kind.AVERAGE, false, Isa.DSP));
    assertEquals("tfk_avg_pool2d_s8_mve", OpEmitter.poolKernel(PoolParams.Kind.AVERAGE, false, Isa.MVE));
    assertEquals("tfk_max_pool2d_s8", OpEmitter.poolKernel(PoolParams.Kind.MAX, false, Isa.MVE));
    assertEquals("tfk_avg_pool2d_s16", OpEmitter.poolKernel(PoolParams.Kind.AVERAGE, true, Isa.MVE));
    assertEquals("tfk_max_pool2d_s16", OpEmitter.poolKernel(PoolParams.Kind.MAX, true, Isa.DSP));
  }

  @Test
  void addAndSubTakeTheHeliumKernelOnlyOnHeliumCores() {
    assertEquals("tfk_add_s8_mve", OpEmitter.elementwiseKernel("add", Isa.MVE, false, 400, 1, 400));
    assertEquals("tfk_sub_s8_mve", OpEmitter.elementwiseKernel("sub", Isa.MVE, false, 400, 400, 400));
    assertEquals("tfk_add_s8", OpEmitter.elementwiseKernel("add", Isa.DSP, false, 400, 1, 400));
    assertEquals("tfk_sub_s8", OpEmitter.elementwiseKernel("sub", Isa.PORTABLE, false, 1, 400, 400));
    assertEquals("tfk_mul_s8", OpEmitter.elementwiseKernel("mul", Isa.MVE, false, 400, 1, 400));
  }

  @Test
  void scratchIsSizedForTheVariantOfTheCore() {
    // a 3x3x16 window: the Helium kernel gathers four windows and folds the bias in its scratch; the portable and
    // DSP ones keep their stack patch (addressed from the stack pointer, it leaves their loops a register)
    ConvParams c = conv(16, 16, 3, 3, 1, 1);
    assertEquals(0, ScratchSizes.conv(OpEmitter.convKernel(c, Isa.PORTABLE), c));
    assertEquals(0, ScratchSizes.conv(OpEmitter.convKernel(c, Isa.DSP), c));
    assertEquals(4 * 144 + 4 * 4, ScratchSizes.conv(OpEmitter.convKernel(c, Isa.MVE), c));
    // the reference kernel takes none
    ConvParams grouped = conv(16, 8, 3, 3, 1, 1);
    assertEquals(0, ScratchSizes.conv(OpEmitter.convKernel(grouped, Isa.DSP), grouped));
  }
}
