package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IsaTest {
  @Test
  void coresMapToTheirExtensions() {
    assertEquals(Isa.DSP, Isa.ofCore("cortex-m7"));
    assertEquals(Isa.DSP, Isa.ofCore("Cortex-M4"));
    assertEquals(Isa.MVE, Isa.ofCore("cortex-m55"));
    assertEquals(Isa.PORTABLE, Isa.ofCore("host"));
    assertEquals(Isa.PORTABLE, Isa.ofCore("cortex-m0plus"));
  }
}
