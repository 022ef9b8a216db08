package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.FeatureMaps;
import io.tinyforge.lower.Requantization;
import io.tinyforge.lower.Window;
import org.junit.jupiter.api.Test;

/** Which int8 depthwise kernel the generator calls, per layer shape and core. */
class DepthwiseKernelTest {
  private static final String DSP_3X3 = "tfk_dw_conv_3x3_s8_dsp";
  /** The general fast kernel's DSP variant, which the other shapes keep. */
  private static final String FAST = "tfk_depthwise_conv2d_fast_s8_dsp";

  /** A depthwise layer on an 8x8 map: filter kh x kw, stride, dilation, depth multiplier. */
  private static DepthwiseParams layer(int kh, int kw, int stride, int dilation, int dm, int inputDepth) {
    return layer(kh, kw, stride, dilation, dm, inputDepth, 8);
  }

  private static DepthwiseParams layer(int kh, int kw, int stride, int dilation, int dm, int inputDepth,
      int size) {
    int depth = inputDepth * dm;
    int[] mult = new int[depth];
    int[] shift = new int[depth];
    java.util.Arrays.fill(mult, 1 << 30);
    java.util.Arrays.fill(shift, -8);
    return new DepthwiseParams(0, 1, 2, 3, new FeatureMaps(1, size, size, inputDepth, size / stride, size / stride, depth), dm,
        new Window(kh, kw, stride, stride, dilation, dilation, 1, 1), 128,
        new Requantization(mult, shift, -128, -128, 127));
  }

  @Test
  void mobileNetBlocksTakeTheSmladKernelOnDspCores() {
    assertEquals(DSP_3X3, OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1, 32), Isa.DSP));
    assertEquals(DSP_3X3, OpEmitter.depthwiseKernel(layer(3, 3, 2, 1, 1, 32), Isa.DSP));
    // channel counts that are not multiples of four: the kernel finishes them with a scalar loop
    assertEquals(DSP_3X3, OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1, 7), Isa.DSP));
  }

  @Test
  void heliumAndPortableCoresDoNotTakeTheSmladKernel() {
    // Helium cores take their own vector kernel (DepthwiseKernelChoiceTest)
    assertEquals("tfk_dw_conv_3x3_s8_mve", OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1, 32), Isa.MVE));
    assertEquals("tfk_depthwise_conv2d_fast_s8", OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1, 32), Isa.PORTABLE));
  }

  @Test
  void smallMapsKeepTheGeneralKernel() {
    // person_detect's last depthwise layers (3x3 outputs) run faster without the per-call tables
    assertEquals(FAST, OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1, 256, 3), Isa.DSP));
    assertEquals(FAST, OpEmitter.depthwiseKernel(layer(3, 3, 2, 1, 1, 128, 6), Isa.DSP));
    assertEquals(DSP_3X3, OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1, 128, 6), Isa.DSP));
  }

  @Test
  void otherShapesKeepTheGeneralKernel() {
    // the first layer (dm 8 on one input channel) has its own kernel (DepthwiseKernelChoiceTest)
    assertEquals("tfk_dw_conv_one_input_s8_dsp", OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 8, 1), Isa.DSP));
    assertEquals(FAST, OpEmitter.depthwiseKernel(layer(3, 3, 1, 2, 1, 16), Isa.DSP)); // dilated
    assertEquals(FAST, OpEmitter.depthwiseKernel(layer(5, 5, 1, 1, 1, 16), Isa.DSP));
    assertEquals(FAST, OpEmitter.depthwiseKernel(layer(3, 1, 1, 1, 1, 16), Isa.DSP));
  }
}
