package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PadMergeTest {
  @Test
  void unpaddedChannelsMergeIntoTheWidthAndItsPadding() {
    // YOLO's first PAD: 1x320x320x3 -> 1x321x321x3 (one row below, one column right)
    int[][] m = OpEmitter.mergeUnpaddedInnerDims(new int[] {1, 320, 320, 3}, new int[] {0, 0, 0, 0},
        new int[] {0, 1, 1, 0});
    assertArrayEquals(new int[] {1, 320, 960}, m[0]);
    assertArrayEquals(new int[] {0, 0, 0}, m[1]);
    assertArrayEquals(new int[] {0, 1, 3}, m[2]);
  }

  @Test
  void severalUnpaddedInnerDimsMergeUpToThePaddedOne() {
    int[][] m = OpEmitter.mergeUnpaddedInnerDims(new int[] {2, 5, 4, 3}, new int[] {1, 0, 0, 0},
        new int[] {2, 0, 0, 0});
    assertArrayEquals(new int[] {120}, m[0]);
    assertArrayEquals(new int[] {60}, m[1]);
    assertArrayEquals(new int[] {120}, m[2]);
  }

  @Test
  void paddedInnermostDimStaysAsItIs() {
    int[][] m = OpEmitter.mergeUnpaddedInnerDims(new int[] {1, 4, 4, 3}, new int[] {0, 1, 1, 1},
        new int[] {0, 1, 1, 0});
    assertArrayEquals(new int[] {1, 4, 4, 3}, m[0]);
    assertArrayEquals(new int[] {0, 1, 1, 1}, m[1]);
    assertArrayEquals(new int[] {0, 1, 1, 0}, m[2]);
  }

  @Test
  void noPaddingAtAllIsOneRun() {
    int[][] m = OpEmitter.mergeUnpaddedInnerDims(new int[] {2, 3}, new int[] {0, 0}, new int[] {0, 0});
    assertArrayEquals(new int[] {6}, m[0]);
    assertArrayEquals(new int[] {0}, m[1]);
    assertArrayEquals(new int[] {0}, m[2]);
  }
}
