package io.tinyforge.lower;

/**
 * The compile-time result of one op's Prepare: plain data (ints, int arrays, tensor indices) that a kernel
 * executes and the C generator prints as constants. One immutable record per kernel; records never carry
 * behaviour. Not sealed so that op families can live in their own files.
 */
public interface KernelParams {
  /** Tensor indices this kernel reads (constants included; -1 never appears). */
  int[] inputTensors();

  /** Tensor indices this kernel writes. */
  int[] outputTensors();
}
