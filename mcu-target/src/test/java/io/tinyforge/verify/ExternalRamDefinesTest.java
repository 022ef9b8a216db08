package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification build takes the external-RAM define a generated Makefile adds (the start-up set-up of the
 * memory the plan uses), and nothing else of the Makefile's defines: the board's own it derives itself.
 */
class ExternalRamDefinesTest {
  @TempDir
  Path dir;

  @Test
  void externalRamDefineIsTakenFromTheMakefile() throws Exception {
    Files.writeString(dir.resolve("Makefile"), "DEFINES = '-DTF_BOARD_NAME=\"imxrt1060-evk\"' \\\n"
        + "          '-DTF_BOARD_CLOCK_HZ=600000000u'\n"
        + "# external RAM the plan puts buffers in\n"
        + "DEFINES += -DTF_EXTRAM_SEMC_SDRAM=1\n");
    assertEquals(Map.of("TF_EXTRAM_SEMC_SDRAM", "1"), GeneratedProjectSources.externalRamDefines(dir));
  }

  @Test
  void noExternalRamNoDefine() throws Exception {
    Files.writeString(dir.resolve("Makefile"), "DEFINES = '-DTF_BOARD_NAME=\"teensy41\"'\n");
    assertEquals(Map.of(), GeneratedProjectSources.externalRamDefines(dir));
    assertEquals(Map.of(), GeneratedProjectSources.externalRamDefines(dir.resolve("missing")));
  }
}
