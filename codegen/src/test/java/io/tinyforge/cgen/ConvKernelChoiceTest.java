package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.FeatureMaps;
import io.tinyforge.lower.Requantization;
import io.tinyforge.lower.Window;
import org.junit.jupiter.api.Test;

/** Which C function OpEmitter calls for a CONV_2D layer, per layer shape and core. */
class ConvKernelChoiceTest {

  private static ConvParams conv(int h, int w, int cin, int cout, int k, int stride, int pad) {
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    int[] mult = new int[cout];
    int[] shift = new int[cout];
    java.util.Arrays.fill(mult, 1 << 30);
    java.util.Arrays.fill(shift, -8);
    return new ConvParams(0, 1, 2, 3, new FeatureMaps(1, h, w, cin, oh, ow, cout), cin,
        new Window(k, k, stride, stride, 1, 1, pad, pad), 1, new Requantization(mult, shift, 0, -128, 127));
  }

  @Test
  void pointwiseOnDspCoresTakesTheDspKernelWhenTheDepthFits() {
    assertEquals("tfk_conv_1x1_s8_dsp", OpEmitter.convKernel(conv(48, 48, 8, 16, 1, 1, 0), Isa.DSP));
    assertEquals("tfk_conv_1x1_s8_dsp", OpEmitter.convKernel(conv(3, 3, 256, 256, 1, 1, 0), Isa.DSP));
    assertEquals("tfk_conv_1x1_s8_dsp", OpEmitter.convKernel(conv(9, 9, 12, 5, 1, 2, 0), Isa.DSP));
  }

  @Test
  void pointwiseOutsideTheDspKernelsShapesKeepsTheGeneralOne() {
    // depth not a multiple of 4, or deeper than the widened-pixel stack buffer: the general 1x1 kernel's DSP variant
    assertEquals("tfk_conv2d_1x1_s8_smlad", OpEmitter.convKernel(conv(8, 8, 6, 16, 1, 1, 0), Isa.DSP));
    assertEquals("tfk_conv2d_1x1_s8_smlad", OpEmitter.convKernel(conv(8, 8, 260, 16, 1, 1, 0), Isa.DSP));
    // no DSP extension, or Helium (whose four-pixel path is faster)
    assertEquals("tfk_conv2d_1x1_s8", OpEmitter.convKernel(conv(8, 8, 16, 16, 1, 1, 0), Isa.PORTABLE));
    assertEquals("tfk_conv2d_1x1_s8_mve", OpEmitter.convKernel(conv(8, 8, 16, 16, 1, 1, 0), Isa.MVE));
  }

  @Test
  void threeByThreeOnDspCoresTakesTheWidenedWindowKernelWhenTheWindowFits() {
    // ic_resnet8's layers (16, 32, 64 channels, strides 1 and 2) and a first layer on 3 channels
    assertEquals("tfk_conv_3x3_s8_dsp", OpEmitter.convKernel(conv(32, 32, 16, 16, 3, 1, 1), Isa.DSP));
    assertEquals("tfk_conv_3x3_s8_dsp", OpEmitter.convKernel(conv(32, 32, 16, 32, 3, 2, 1), Isa.DSP));
    assertEquals("tfk_conv_3x3_s8_dsp", OpEmitter.convKernel(conv(8, 8, 64, 64, 3, 1, 1), Isa.DSP));
    assertEquals("tfk_conv_3x3_s8_dsp", OpEmitter.convKernel(conv(32, 32, 3, 16, 3, 1, 1), Isa.DSP));
    assertEquals("tfk_conv_3x3_s8_dsp", OpEmitter.convKernel(conv(9, 9, 1, 5, 3, 2, 0), Isa.DSP));
  }

  @Test
  void threeByThreeOutsideTheWidenedWindowKernelsShapesKeepsTheGatheredOne() {
    // 9 x 68 bytes: past the four widened windows on the stack; 9 x 15 = 135, not a multiple of four, past 128
    assertEquals("tfk_conv2d_fast_s8_dsp", OpEmitter.convKernel(conv(8, 8, 68, 16, 3, 1, 1), Isa.DSP));
    assertEquals("tfk_conv2d_fast_s8_dsp", OpEmitter.convKernel(conv(8, 8, 15, 16, 3, 1, 1), Isa.DSP));
    // Helium and portable cores keep their own variants
    assertEquals("tfk_conv2d_fast_s8_mve", OpEmitter.convKernel(conv(32, 32, 16, 16, 3, 1, 1), Isa.MVE));
    assertEquals("tfk_conv2d_fast_s8", OpEmitter.convKernel(conv(32, 32, 16, 16, 3, 1, 1), Isa.PORTABLE));
  }

  @Test
  void otherConvolutionsAreUnchanged() {
    assertEquals("tfk_conv2d_fast_s8_dsp", OpEmitter.convKernel(conv(8, 8, 16, 16, 5, 1, 2), Isa.DSP));
    assertEquals("tfk_conv2d_fast_s8_dsp", OpEmitter.convKernel(conv(8, 8, 16, 16, 1, 1, 1), Isa.DSP));
  }
}
