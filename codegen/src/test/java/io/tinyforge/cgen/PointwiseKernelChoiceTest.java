package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.FeatureMaps;
import io.tinyforge.lower.Requantization;
import io.tinyforge.lower.Window;
import io.tinyforge.memory.TensorGraph;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The planner lets a CONV_2D write its output over its input only where the kernel OpEmitter calls walks the pixels
 * forward once (TensorGraph.pointwise): on every core that must be one of the four 1x1 kernels that
 * firmware/tests runs in place (test_conv_1x1_in_place).
 */
class PointwiseKernelChoiceTest {
  static final List<String> IN_PLACE_KERNELS = List.of("tfk_conv2d_1x1_s8", "tfk_conv2d_1x1_s8_smlad",
      "tfk_conv_1x1_s8_dsp", "tfk_conv2d_1x1_s8_mve");

  @Test
  void everyPointwiseWalkGoesToAOneByOneKernel() {
    Random r = new Random(3);
    int walks = 0;
    for (int i = 0; i < 2000; i++) {
      int h = 1 + r.nextInt(20);
      int w = 1 + r.nextInt(20);
      int cin = 1 + r.nextInt(300);
      int cout = 1 + r.nextInt(80);
      int k = r.nextInt(4) == 0 ? 3 : 1;
      int stride = 1 + (r.nextInt(4) == 0 ? 1 : 0);
      int pad = r.nextInt(4) == 0 ? 1 : 0;
      ConvParams p = conv(h, w, cin, cout, k, stride, pad);
      if (TensorGraph.pointwise(p, true) == null) {
        continue;
      }
      walks++;
      for (Isa isa : Isa.values()) {
        String kernel = OpEmitter.convKernel(p, isa);
        assertTrue(IN_PLACE_KERNELS.contains(kernel), kernel + " for " + h + "x" + w + "x" + cin + " -> " + cout
            + " on " + isa + " is not run in place by firmware/tests");
      }
    }
    assertTrue(walks > 200, "only " + walks + " pointwise layers drawn");
  }

  private static ConvParams conv(int h, int w, int cin, int cout, int k, int stride, int pad) {
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    int[] mult = new int[cout];
    int[] shift = new int[cout];
    Arrays.fill(mult, 1 << 30);
    Arrays.fill(shift, -8);
    return new ConvParams(0, 1, 2, 3, new FeatureMaps(1, h, w, cin, Math.max(1, oh), Math.max(1, ow), cout), cin,
        new Window(k, k, stride, stride, 1, 1, pad, pad), 1, new Requantization(mult, shift, 0, -128, 127));
  }
}
