package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.FeatureMaps;
import io.tinyforge.lower.Requantization;
import io.tinyforge.lower.Window;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DepthwiseKernelChoiceTest {
  private static DepthwiseParams layer(int kh, int kw, int dm, int dilation, int inDepth) {
    int outDepth = inDepth * dm;
    int[] mult = new int[outDepth];
    int[] shift = new int[outDepth];
    Arrays.fill(mult, 1 << 30);
    Arrays.fill(shift, -7);
    return new DepthwiseParams(0, 1, 2, 3, new FeatureMaps(1, 12, 12, inDepth, 12, 12, outDepth), dm,
        new Window(kh, kw, 1, 1, dilation, dilation, 1, 1), 5, new Requantization(mult, shift, -3, -128, 127));
  }

  @Test
  void helium3x3KernelOnlyOnMveCoresAndItsShapes() {
    DepthwiseParams mobileNet = layer(3, 3, 1, 1, 32);
    assertEquals("tfk_dw_conv_3x3_s8_mve", OpEmitter.depthwiseKernel(mobileNet, false, true, Isa.MVE));
    // DSP cores without Helium take the SMLAD kernel (DepthwiseKernelTest), portable cores the general one
    assertEquals("tfk_dw_conv_3x3_s8_dsp", OpEmitter.depthwiseKernel(mobileNet, false, true, Isa.DSP));
    assertEquals("tfk_depthwise_conv2d_fast_s8", OpEmitter.depthwiseKernel(mobileNet, false, true, Isa.PORTABLE));
    assertEquals("tfk_depthwise_conv2d_s16", OpEmitter.depthwiseKernel(mobileNet, true, true, Isa.MVE));
    // weights computed at run time cannot be packed at compile time
    assertEquals("tfk_depthwise_conv2d_fast_s8_mve", OpEmitter.depthwiseKernel(mobileNet, false, false, Isa.MVE));
    DepthwiseParams firstLayer = layer(3, 3, 8, 1, 1);
    assertEquals("tfk_dw_conv_one_input_s8_mve", OpEmitter.depthwiseKernel(firstLayer, false, true, Isa.MVE));
    assertEquals("tfk_dw_conv_one_input_s8_mve",
        OpEmitter.depthwiseKernel(layer(3, 3, 16, 1, 1), false, true, Isa.MVE));
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.depthwiseKernel(firstLayer, false, true, Isa.DSP));
    for (DepthwiseParams other : new DepthwiseParams[] {layer(3, 3, 4, 1, 1), layer(3, 3, 8, 1, 2),
        layer(3, 3, 8, 2, 1), layer(5, 5, 8, 1, 1), layer(5, 5, 1, 1, 16),
        layer(3, 1, 1, 1, 16), layer(3, 3, 1, 2, 16)}) {
      assertEquals("tfk_depthwise_conv2d_fast_s8_mve", OpEmitter.depthwiseKernel(other, false, true, Isa.MVE));
    }
    assertEquals("tfk_dw_conv_3x3_s8_mve", OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 512), false, true, Isa.MVE));
    // past the old 512-channel stack row of zero points: the planner sizes its scratch
    assertEquals("tfk_dw_conv_3x3_s8_mve", OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 513), false, true, Isa.MVE));
    assertEquals("tfk_dw_conv_3x3_s8_mve", OpEmitter.depthwiseKernel(layer(3, 3, 1, 1, 1), false, true, Isa.MVE));
  }

  @Test
  void packsWeightsPerEightChannelBlockAndRequantizationInEvenOddLanes() {
    int ch = 10; // one full block and one of two channels
    DepthwiseParams p = layer(3, 3, 1, 1, ch);
    ByteBuffer filter = ByteBuffer.allocate(9 * ch);
    for (int t = 0; t < 9; t++) {
      for (int c = 0; c < ch; c++) {
        filter.put(t * ch + c, (byte) (t * 10 + c - 40));
      }
    }
    ByteBuffer bias = ByteBuffer.allocate(4 * ch).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < ch; c++) {
      bias.putInt(c * 4, 1000 * c);
    }
    OpEmitter.Dw3x3Mve packed = OpEmitter.packDw3x3Mve(p, filter, bias, false);
    assertEquals(2 * 72, packed.weights().length);
    assertEquals(2 * 32, packed.rq().length);
    // tap 4 of channel 3 (block 0, lane 3) and of channel 9 (block 1, lane 1); lanes past channel 9 are 0
    assertEquals(4 * 10 + 3 - 40, packed.weights()[4 * 8 + 3]);
    assertEquals(4 * 10 + 9 - 40, packed.weights()[72 + 4 * 8 + 1]);
    assertEquals(0, packed.weights()[72 + 4 * 8 + 2]);
    // channel 3: odd lane 1 of block 0; folded bias = bias + input_offset (5) * sum of its nine weights
    int sum3 = 0;
    for (int t = 0; t < 9; t++) {
      sum3 += t * 10 + 3 - 40;
    }
    int[] rq = packed.rq();
    assertEquals(3000 + 5 * sum3, rq[4 + 1]);
    assertEquals(1 << 30, rq[8 + 4 + 1]);
    assertEquals(0, rq[16 + 4 + 1]);
    assertEquals(-7, rq[24 + 4 + 1]);
    // channel 8: even lane 0 of block 1
    int sum8 = 0;
    for (int t = 0; t < 9; t++) {
      sum8 += t * 10 + 8 - 40;
    }
    assertEquals(8000 + 5 * sum8, rq[32]);
    assertArrayEquals(new int[] {0, 0, 0}, Arrays.copyOfRange(rq, 32 + 1, 32 + 4)); // lanes 2, 4, 6 unused
  }

  @Test
  void oneInputPackingPutsEachTapsEvenChannelsFirst() {
    DepthwiseParams p = layer(3, 3, 8, 1, 1);
    ByteBuffer filter = ByteBuffer.allocate(9 * 8);
    for (int i = 0; i < 72; i++) {
      filter.put(i, (byte) i); // tap t, channel c holds 8t + c
    }
    int[] w = OpEmitter.packDw3x3Mve(p, filter, null, true).weights();
    assertArrayEquals(new int[] {16, 18, 20, 22, 17, 19, 21, 23}, Arrays.copyOfRange(w, 16, 24)); // tap 2
  }
}
