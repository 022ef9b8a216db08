package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChannelPairLayoutTest {
  @Test
  void pairsAreInterleavedFourInputChannelsAtATime() {
    // rows 0..2 of depth 8: row r holds 10*r + k
    byte[] filter = new byte[3 * 8];
    for (int r = 0; r < 3; r++) {
      for (int k = 0; k < 8; k++) {
        filter[r * 8 + k] = (byte) (10 * r + k);
      }
    }
    byte[] want = {
      0, 1, 2, 3, 10, 11, 12, 13, 4, 5, 6, 7, 14, 15, 16, 17, // rows 0 and 1
      20, 21, 22, 23, 20, 21, 22, 23, 24, 25, 26, 27, 24, 25, 26, 27 // row 2 paired with itself
    };
    assertArrayEquals(want, ChannelPairLayout.interleave(filter, 3, 8));
    assertEquals(32, ChannelPairLayout.bytes(3, 8));
    assertEquals(16, ChannelPairLayout.bytes(2, 8));
  }

  @Test
  void depthMustBeAMultipleOfFour() {
    assertThrows(IllegalArgumentException.class, () -> ChannelPairLayout.interleave(new byte[6], 1, 6));
  }
}
