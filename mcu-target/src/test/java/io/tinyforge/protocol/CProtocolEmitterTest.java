package io.tinyforge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated C compiles warning-free for host and Cortex-M, and computes the published check values. */
class CProtocolEmitterTest {
  static Path root() {
    return ProtocolDefinitionTest.root();
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    return out;
  }

  @Test
  void emitsBothFilesAndRewritesNothingWhenUnchanged(@TempDir Path dir) throws IOException {
    List<Path> files = CProtocolEmitter.forRepo(root()).emit(dir);
    assertEquals(2, files.size());
    String h = Files.readString(dir.resolve("tf_protocol.h"));
    assertTrue(h.contains("#define TF_MSG_HELLO 1u"));
    assertTrue(h.contains("int tf_decode_set_input("));
    assertTrue(h.contains("int32_t tf_encode_hello_reply("));
    long before = Files.getLastModifiedTime(dir.resolve("tf_protocol.c")).toMillis();
    Files.setLastModifiedTime(dir.resolve("tf_protocol.c"), java.nio.file.attribute.FileTime.fromMillis(before - 10_000));
    CProtocolEmitter.forRepo(root()).emit(dir);
    assertEquals(before - 10_000, Files.getLastModifiedTime(dir.resolve("tf_protocol.c")).toMillis());
  }

  /** The copies mcu-target's build rendered are what the repository's definition and templates give now. */
  @Test
  void theBuildsRenderingIsTheRepositorysAndIsWhatFirmwareBuildsGet(@TempDir Path dir) throws IOException {
    Map<String, String> fresh = CProtocolEmitter.forRepo(root()).render();
    List<Path> written = CProtocolEmitter.emitBundled(dir);
    assertEquals(List.of(dir.resolve("tf_protocol.h"), dir.resolve("tf_protocol.c")), written);
    for (String name : CProtocolEmitter.OUTPUTS) {
      assertEquals(fresh.get(name), Files.readString(dir.resolve(name)),
          name + " in mcu-target's classes is stale against protocol.json and templates/protocol: rebuild mcu-target");
    }
  }

  @Test
  void compilesCleanAndMatchesCheckValuesOnTheHost(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("gcc"), "gcc missing");
    CProtocolEmitter.forRepo(root()).emit(dir);
    Files.writeString(dir.resolve("check.c"), String.join("\n",
        "#include <stdio.h>",
        "#include <string.h>",
        "#include \"tf_protocol.h\"",
        "int main(void) {",
        "  const uint8_t check[] = \"123456789\";",
        "  uint8_t body[TF_PROTO_MAX_BODY], wire[TF_PROTO_MAX_WIRE], prng[4];",
        "  static tf_frame_rx_t rx;",
        "  tf_frame_t f;",
        "  uint32_t n, i;",
        "  int got = 0;",
        "  printf(\"%08x\\n\", (unsigned)tf_crc32_update(TF_CRC32_START, check, 9));",
        "  printf(\"%016llx\\n\", (unsigned long long)tf_fnv1a64_update(TF_FNV1A64_INIT, (const uint8_t *)\"a\", 1));",
        "  tf_prng_fill(prng, 4, 42u, 1u);",
        "  printf(\"%02x%02x%02x%02x\\n\", prng[0], prng[1], prng[2], prng[3]);",
        "  memset(body + TF_PROTO_HEADER_BYTES, 0, 600);",  // long zero runs exercise COBS
        "  body[TF_PROTO_HEADER_BYTES + 300] = 7;",
        "  n = tf_frame_encode(body, 600, 0x82u, 9u, wire);",
        "  for (i = 1; i + 1 < n; i++) if (wire[i] == 0) return 3;",
        "  for (i = 0; i < n; i++) if (tf_frame_rx_push(&rx, wire[i], &f) == TF_FRAME_OK) got = 1;",
        "  if (!got || f.type != 0x82u || f.seq != 9u || f.length != 600u || f.payload[300] != 7) return 4;",
        "  wire[5] ^= 1u;",
        "  for (i = 0; i < n; i++) if (tf_frame_rx_push(&rx, wire[i], &f) == TF_FRAME_OK) return 5;",
        "  return 0;",
        "}", ""));
    run(List.of("gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wconversion", "-Wshadow",
        "-o", "check", "check.c", "tf_protocol.c"), dir);
    String[] lines = run(List.of(dir.resolve("check").toString()), dir).strip().split("\n");
    assertEquals("cbf43926", lines[0], "CRC-32 check value");
    assertEquals("af63dc4c8601ec8c", lines[1], "FNV-1a 64 of 'a'");
    assertEquals(prngBytes(42, 1, 4), lines[2]);
  }

  /** The PRNG recipe of protocol.json, written out here independently of the templates. */
  static String prngBytes(int seed, int index, int n) {
    int s = seed ^ (int) (0x9E3779B9L * (index + 1));
    if (s == 0) {
      s = 0x6D2B79F5;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      sb.append(String.format("%02x", (s >>> 24) & 0xFF));
    }
    return sb.toString();
  }

  @Test
  void compilesCleanForCortexM(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("arm-none-eabi-gcc"), "arm-none-eabi-gcc missing");
    CProtocolEmitter.forRepo(root()).emit(dir);
    for (String cpu : List.of("cortex-m4", "cortex-m7", "cortex-m55")) {
      List<String> cmd = new ArrayList<>(List.of("arm-none-eabi-gcc", "-mcpu=" + cpu, "-mthumb", "-Os", "-std=c99",
          "-Wall", "-Wextra", "-Werror", "-pedantic", "-c", "tf_protocol.c", "-o", "p.o"));
      run(cmd, dir);
    }
  }
}
