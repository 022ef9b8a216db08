package io.tinyforge.lower;

import io.tinyforge.model.Padding;

/** TFLite padding.h: output sizes and the (leading) padding of SAME/VALID windows. */
public final class PaddingMath {
  private PaddingMath() {}

  /** ComputeOutSize. */
  public static int outSize(Padding padding, int imageSize, int filterSize, int stride, int dilation) {
    int effectiveFilter = (filterSize - 1) * dilation + 1;
    if (stride == 0) {
      return 0;
    }
    return padding == Padding.SAME
        ? (imageSize + stride - 1) / stride
        : (imageSize + stride - effectiveFilter) / stride;
  }

  /** ComputePaddingWithOffset's return value: the padding before the first element. */
  public static int padding(int stride, int dilation, int inSize, int filterSize, int outSize) {
    int effectiveFilter = (filterSize - 1) * dilation + 1;
    int total = (outSize - 1) * stride + effectiveFilter - inSize;
    total = Math.max(total, 0);
    return total / 2;
  }
}
