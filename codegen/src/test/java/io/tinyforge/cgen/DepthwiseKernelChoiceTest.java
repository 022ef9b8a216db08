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
import java.util.List;
import java.util.Map;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.Lowering;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
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
    assertEquals("tfk_dw_conv_one_input_s8_dsp", OpEmitter.depthwiseKernel(firstLayer, false, true, Isa.DSP));
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
  void smallMapsTakeThe3x3DspKernelOnlyWhenAsked() {
    DepthwiseParams small = new DepthwiseParams(0, 1, 2, 3, new FeatureMaps(1, 6, 6, 32, 3, 3, 32), 1,
        new Window(3, 3, 2, 2, 1, 1, 0, 0), 5, layer(3, 3, 1, 1, 32).requant());
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.depthwiseKernel(small, false, true, Isa.DSP));
    assertEquals("tfk_dw_conv_3x3_s8_dsp", OpEmitter.depthwiseKernel(small, false, true, Isa.DSP, true));
    // shapes the 3x3 kernel does not take stay on the general one
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp",
        OpEmitter.depthwiseKernel(layer(5, 5, 1, 1, 16), false, true, Isa.DSP, true));
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp",
        OpEmitter.depthwiseKernel(layer(3, 3, 1, 2, 16), false, true, Isa.DSP, true));
    assertEquals("tfk_depthwise_conv2d_fast_s8_mve", OpEmitter.depthwiseKernel(small, false, false, Isa.MVE, true));
  }

  /** person_detect's two 3x3-map layers are the only users of the general kernel on the M7: they switch. */
  @Test
  void generalDepthwiseKernelLeavesPersonDetectOnDspCores() throws Exception {
    Path file = Path.of("").toAbsolutePath().resolve("../../shared/models/tflm_person_detect_int8.tflite")
        .normalize();
    Assumptions.assumeTrue(Files.isRegularFile(file), "../shared/models is absent: skipping " + file);
    LoweredModel lowered = Lowering.lower(TfliteReader.read(file));
    assertEquals(true, OpEmitter.fastDepthwiseOnlyForSmall3x3(lowered, Isa.DSP));
    assertEquals(false, OpEmitter.fastDepthwiseOnlyForSmall3x3(lowered, Isa.MVE), "Helium takes every 3x3 map");
    assertEquals(false, OpEmitter.fastDepthwiseOnlyForSmall3x3(lowered, Isa.PORTABLE));
    int small = 0;
    for (var op : lowered.ops()) {
      if (op.params() instanceof DepthwiseParams p && p.outputHeight() * p.outputWidth() < 16) {
        small++;
        assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.depthwiseKernel(p, false, true, Isa.DSP));
        assertEquals("tfk_dw_conv_3x3_s8_dsp", OpEmitter.depthwiseKernel(p, false, true, Isa.DSP, true));
      }
    }
    assertEquals(2, small, "person_detect has two depthwise layers on 3x3 maps");
  }

  @Test
  void oneInputDspKernelOnlyWhereItsRequantizationIsExact() {
    DepthwiseParams firstLayer = layer(3, 3, 8, 1, 1);
    assertEquals("tfk_dw_conv_one_input_s8_dsp", OpEmitter.depthwiseKernel(layer(3, 3, 3, 1, 1), false, true,
        Isa.DSP), "any depth multiplier");
    assertEquals("tfk_depthwise_conv2d_fast_s8", OpEmitter.depthwiseKernel(firstLayer, false, true, Isa.PORTABLE));
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.depthwiseKernel(firstLayer, false, false, Isa.DSP),
        "weights computed at run time");
    for (DepthwiseParams other : new DepthwiseParams[] {layer(3, 3, 8, 1, 2), layer(3, 3, 8, 2, 1),
        layer(5, 5, 8, 1, 1), layer(3, 1, 8, 1, 1)}) {
      assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.depthwiseKernel(other, false, true, Isa.DSP));
    }
    // a channel with a shift >= 0 needs tfk_requantize's left shift: the general kernel
    int[] shift = firstLayer.outputShift().clone();
    shift[5] = 0;
    DepthwiseParams leftShift = new DepthwiseParams(0, 1, 2, 3, firstLayer.maps(), 8, firstLayer.window(), 5,
        new Requantization(firstLayer.outputMultiplier(), shift, -3, -128, 127));
    assertEquals("tfk_depthwise_conv2d_fast_s8_dsp", OpEmitter.depthwiseKernel(leftShift, false, true, Isa.DSP));
  }

  @Test
  void packsOneInputDspConstantsPerChannel() {
    DepthwiseParams p = layer(3, 3, 2, 1, 1);
    ByteBuffer filter = ByteBuffer.allocate(9 * 2);
    for (int t = 0; t < 9; t++) {
      filter.put(t * 2, (byte) (t - 4));
      filter.put(t * 2 + 1, (byte) (-100 + 20 * t));
    }
    ByteBuffer bias = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1000).putInt(4, -7);
    int[] packed = OpEmitter.packDwOneInputDsp(p, filter, bias);
    assertEquals(16, packed.length);
    // channel 0: weights -4..4 sum 0, so the folded bias is the bias; pairs (w0, w1) low half first
    assertEquals(1000, packed[0]);
    assertEquals((-4 & 0xFFFF) | (-3 << 16), packed[1]);
    assertEquals((4 & 0xFFFF), packed[5], "the ninth tap paired with 0");
    assertEquals(1 << 30, packed[6]);
    assertEquals(6, packed[7], "-shift - 1");
    // channel 1: weights -100, -80, ..., 60 sum -180; input offset 5
    assertEquals(-7 + 5 * -180, packed[8]);
    assertEquals((-100 & 0xFFFF) | (-80 << 16), packed[9]);
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

  /** The packed words become tfk_dw8_requant blocks: int32 bias and multiplier, one byte per shift. */
  @Test
  void requantBlocksSplitEachBlockIntoItsFields() {
    int[] rq = new int[64];
    for (int i = 0; i < rq.length; i++) {
      rq[i] = i % 32 < 16 ? 1000 + i : (i % 32 < 24 ? i % 4 : -(i % 7));
    }
    Map<String, Object> d = OpEmitter.requantBlocks("op3_dw_rq", rq);
    assertEquals("structs", d.get("kind"));
    assertEquals("tfk_dw8_requant", d.get("ctype"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> blocks = (List<Map<String, Object>>) d.get("elements");
    assertEquals(2, blocks.size());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> f = (List<Map<String, Object>>) blocks.get(1).get("fields");
    assertEquals(List.of("bias", "multiplier", "left_shift", "right_shift"),
        f.stream().map(x -> x.get("name")).toList());
    for (int k = 0; k < 4; k++) {
      List<Long> want = new java.util.ArrayList<>();
      for (int i = 32 + 8 * k; i < 40 + 8 * k; i++) {
        want.add((long) rq[i]);
      }
      assertEquals(want, f.get(k).get("value"), (String) f.get(k).get("name"));
    }
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
