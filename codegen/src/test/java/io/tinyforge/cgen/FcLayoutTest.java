package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FcLayoutTest {
  /** A filter whose byte at (row, column) is row * 16 + column, so every moved byte says where it came from. */
  private static byte[] numbered(int rows, int depth) {
    byte[] f = new byte[rows * depth];
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < depth; d++) {
        f[r * depth + d] = (byte) (r * 16 + d);
      }
    }
    return f;
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void fourRowsInterleaveByWordThenTheirTailsRowByRow() {
    // 5 rows x 9: one group of four rows (two words and a 1-byte tail each), then row 4 unchanged
    byte[] got = FcLayout.groupRows(numbered(5, 9), 5, 9);
    byte[] want = bytes(
        0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51,
        4, 5, 6, 7, 20, 21, 22, 23, 36, 37, 38, 39, 52, 53, 54, 55,
        8, 24, 40, 56,
        64, 65, 66, 67, 68, 69, 70, 71, 72);
    assertArrayEquals(want, got);
  }

  @Test
  void fewerThanFourRowsStayAsTheyAre() {
    byte[] f = numbered(3, 6);
    assertArrayEquals(f, FcLayout.groupRows(f, 3, 6));
  }

  @Test
  void depthBelowFourIsAllTail() {
    byte[] got = FcLayout.groupRows(numbered(4, 2), 4, 2);
    assertArrayEquals(bytes(0, 1, 16, 17, 32, 33, 48, 49), got);
  }

  @Test
  void wrongSizeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> FcLayout.groupRows(new byte[7], 2, 4));
  }

  @Test
  void biasGainsInputOffsetTimesRowSumWrappingLikeInt32() {
    byte[] f = bytes(1, -2, 3, 127, 127, 127);
    assertArrayEquals(new int[] {10 + 5 * 2, -7 + 5 * 381}, FcLayout.foldBias(f, new int[] {10, -7}, 2, 3, 5));
    assertArrayEquals(new int[] {-128 * 2, -128 * 381}, FcLayout.foldBias(f, null, 2, 3, -128));
    // wraps exactly like the C kernels' int32 sums
    int wrapped = FcLayout.foldBias(bytes(127), new int[] {Integer.MAX_VALUE}, 1, 1, 128)[0];
    assertEquals(Integer.MAX_VALUE + 127 * 128, wrapped);
  }

  @Test
  void dspCoresWithoutHeliumTakeTheGroupedKernelForSymmetricConstantWeights() {
    assertEquals("tfk_fc_s8_dsp", OpEmitter.fcKernel(Isa.DSP, false, false, 0, true));
    assertEquals("tfk_fc_s8_dsp", OpEmitter.fcKernel(Isa.DSP, false, true, 0, true));
    assertEquals("tfk_fully_connected_s8", OpEmitter.fcKernel(Isa.PORTABLE, false, false, 0, true));
    assertEquals("tfk_fully_connected_s8_mve", OpEmitter.fcKernel(Isa.MVE, false, false, 0, true));
    assertEquals("tfk_fully_connected_per_channel_s8_mve", OpEmitter.fcKernel(Isa.MVE, false, true, 0, true));
    assertEquals("tfk_fully_connected_s8_dsp", OpEmitter.fcKernel(Isa.DSP, false, false, 3, true));
    assertEquals("tfk_fully_connected_s8_dsp", OpEmitter.fcKernel(Isa.DSP, false, false, 0, false));
    assertEquals("tfk_fully_connected_s16", OpEmitter.fcKernel(Isa.DSP, true, false, 0, true));
  }
}
