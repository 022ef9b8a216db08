package io.tinyforge.quantize;

/**
 * @param method how activation ranges are estimated
 * @param perTensor one weight scale per tensor instead of one per output channel
 * @param floatIo keep float32 model input/output (QUANTIZE / DEQUANTIZE at the edges) instead of int8 I/O
 */
public record QuantizeOptions(CalibrationMethod method, boolean perTensor, boolean floatIo) {
  public static QuantizeOptions defaults() {
    return new QuantizeOptions(new CalibrationMethod.MinMax(), false, false);
  }
}
