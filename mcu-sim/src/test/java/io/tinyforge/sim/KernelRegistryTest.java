package io.tinyforge.sim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.ReluParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelRegistryTest {

  @Test
  void standardRegistryHasAKernelForEveryParamsRecord() {
    assertDoesNotThrow(KernelRegistry::standard);
    List<Class<?>> records = KernelRegistry.leafRecords(KernelParams.class);
    assertTrue(records.contains(ConvParams.class) && records.contains(ReluParams.class), records.toString());
    assertTrue(records.size() >= 27, "the sealed hierarchy lists " + records.size() + " records");
  }

  @Test
  void aRegistryLackingAKernelIsRefusedNamingTheRecord() {
    KernelRegistry partial = new KernelRegistry();
    ConvKernels.register(partial);
    IllegalStateException e = assertThrows(IllegalStateException.class, partial::requireComplete);
    assertTrue(e.getMessage().contains("ReluParams") && !e.getMessage().matches(".*\\bConvParams\\b.*"),
        e.getMessage());
  }
}
