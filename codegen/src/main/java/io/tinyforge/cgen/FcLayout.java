package io.tinyforge.cgen;

/**
 * The compile-time preparation of a FULLY_CONNECTED layer's constants for {@code tfk_fc_s8_dsp}: the filter rows
 * re-laid out in groups of four (so that one running pointer feeds four rows and each input word is widened once
 * per four rows) and the input offset folded into the bias. Neither changes a result: the layout only moves bytes,
 * and {@code sum((x + off) * w) = sum(x * w) + off * sum(w)} holds modulo 2^32, where the kernels' sums wrap too.
 */
final class FcLayout {
  private FcLayout() {}

  /**
   * The filter {@code [rows, depth]} (row-major) as the kernel reads it: per group of four rows, for each whole
   * four-byte word of depth, the four rows' four bytes one after the other (16 bytes); then the group's last
   * {@code depth % 4} bytes row by row. Rows past the last full group follow unchanged. Same size as the input.
   */
  static byte[] groupRows(byte[] filter, int rows, int depth) {
    if ((long) rows * depth != filter.length) {
      throw new IllegalArgumentException("filter of " + filter.length + " bytes is not " + rows + " x " + depth);
    }
    byte[] out = new byte[filter.length];
    int words = depth / 4;
    int tail = depth % 4;
    int o = 0;
    int r = 0;
    for (; r + 3 < rows; r += 4) {
      for (int k = 0; k < words; k++) {
        for (int g = 0; g < 4; g++) {
          System.arraycopy(filter, (r + g) * depth + 4 * k, out, o, 4);
          o += 4;
        }
      }
      for (int g = 0; g < 4; g++) {
        System.arraycopy(filter, (r + g) * depth + 4 * words, out, o, tail);
        o += tail;
      }
    }
    System.arraycopy(filter, r * depth, out, o, (rows - r) * depth);
    return out;
  }

  /**
   * {@code bias[r] + inputOffset * (sum of row r's weights)} for every row, wrapping like int32 (bias may be
   * null: a layer without bias).
   */
  static int[] foldBias(byte[] filter, int[] bias, int rows, int depth, int inputOffset) {
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      int sum = 0;
      for (int d = 0; d < depth; d++) {
        sum += filter[r * depth + d];
      }
      out[r] = (bias == null ? 0 : bias[r]) + inputOffset * sum;
    }
    return out;
  }
}
