package io.tinyforge.cgen;

/**
 * The filter layout of {@code tfk_conv_1x1_s8_dsp}: output channels taken in pairs, the two rows of a pair
 * interleaved four input channels at a time (4 bytes of the even channel, then 4 bytes of the odd one), so that the
 * kernel reads both channels' next four weights with one LDRD from one running pointer. An odd last channel is
 * paired with itself (the kernel computes it twice and stores the same byte twice); that costs {@code depth} extra
 * bytes of flash, the only size difference to the original tensor.
 */
final class ChannelPairLayout {
  private ChannelPairLayout() {}

  /** Bytes of the re-laid copy of a {@code rows x depth} filter. */
  static int bytes(int rows, int depth) {
    return (rows + 1) / 2 * 2 * depth;
  }

  /**
   * Re-lays a row-major {@code rows x depth} int8 filter ({@code [Cout, 1, 1, Cin]}); depth must be a multiple of 4.
   */
  static byte[] interleave(byte[] filter, int rows, int depth) {
    if (depth % 4 != 0 || filter.length != rows * depth) {
      throw new IllegalArgumentException("filter of " + filter.length + " bytes is not " + rows + " rows of "
          + depth + " (a multiple of 4) input channels");
    }
    byte[] out = new byte[bytes(rows, depth)];
    int at = 0;
    for (int r0 = 0; r0 < rows; r0 += 2) {
      int r1 = r0 + 1 < rows ? r0 + 1 : r0;
      for (int k = 0; k < depth; k += 4) {
        System.arraycopy(filter, r0 * depth + k, out, at, 4);
        System.arraycopy(filter, r1 * depth + k, out, at + 4, 4);
        at += 8;
      }
    }
    return out;
  }
}
