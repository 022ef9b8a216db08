package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ElementwiseKernelTest {
  @Test
  void sameShapesRunFlatExceptAddAndSubOnHelium() {
    assertEquals("tfk_add_flat_s8", OpEmitter.elementwiseKernel("add", Isa.DSP, false, 400, 400, 400));
    assertEquals("tfk_sub_flat_s8", OpEmitter.elementwiseKernel("sub", Isa.PORTABLE, false, 7, 7, 7));
    assertEquals("tfk_mul_flat_s8", OpEmitter.elementwiseKernel("mul", Isa.MVE, false, 64, 64, 64));
    assertEquals("tfk_add_s8_mve", OpEmitter.elementwiseKernel("add", Isa.MVE, false, 400, 400, 400));
    assertEquals("tfk_sub_s8_mve", OpEmitter.elementwiseKernel("sub", Isa.MVE, false, 400, 400, 400));
  }

  @Test
  void broadcastingAndInt16KeepTheGeneralKernels() {
    assertEquals("tfk_add_s8", OpEmitter.elementwiseKernel("add", Isa.DSP, false, 400, 1, 400));
    assertEquals("tfk_mul_s8", OpEmitter.elementwiseKernel("mul", Isa.DSP, false, 20, 400, 400));
    assertEquals("tfk_add_s16", OpEmitter.elementwiseKernel("add", Isa.DSP, true, 400, 400, 400));
    assertEquals("tfk_mul_s16", OpEmitter.elementwiseKernel("mul", Isa.PORTABLE, true, 4, 4, 4));
  }
}
