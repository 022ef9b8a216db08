package io.tinyforge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProtocolDefinitionTest {
  static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  static String text() throws IOException {
    return Files.readString(root().resolve(ProtocolDefinition.RELATIVE_PATH), StandardCharsets.UTF_8);
  }

  @Test
  void theRepositoryDefinitionLoads() {
    ProtocolDefinition d = ProtocolDefinition.loadFromRepo(root());
    assertTrue(d.version() >= 1);
    assertEquals(1, d.message("HELLO").id());
    assertTrue(d.message("HELLO").toTarget());
    assertTrue(d.messages().stream().allMatch(m -> m.toTarget() == (m.id() < 128)));
    assertEquals(0xEDB88320L, d.crc32().polynomial());
    assertEquals(ProtocolDefinition.HEADER_BYTES + d.maxPayload() + 4, d.maxBodyBytes());
  }

  private static void rejects(String json, String why) {
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> ProtocolDefinition.parse(json, "t.json"));
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals(TinyforgeException.EXIT_BAD_INPUT, e.exitCode());
  }

  @Test
  void brokenDefinitionsAreRejectedWithTheReason() throws IOException {
    String ok = text();
    rejects(ok.replace("\"id\": 2,", "\"id\": 1,"), "unique");
    rejects(ok.replace("\"id\": 130,", "\"id\": 30,"), "ids < 128");
    rejects(ok.replace("{\"name\": \"index\", \"type\": \"u8\"},\n       {\"name\": \"offset\", \"type\": \"u32\"},\n"
        + "       {\"name\": \"data\", \"type\": \"bytes\"}", "{\"name\": \"data\", \"type\": \"bytes\"},\n"
        + "       {\"name\": \"index\", \"type\": \"u8\"}"), "last field");
    rejects(ok.replace("{\"name\": \"seed\", \"type\": \"u32\"}", "{\"name\": \"seed\", \"type\": \"u32\", \"array\": true}"),
        "requests may only hold");
    rejects(ok.replace("\"type\": \"u16\", \"doc\": \"tensor index in the model\"",
        "\"type\": \"u17\", \"doc\": \"tensor index in the model\""), "unknown type 'u17'");
    rejects(ok.replace("\"name\": \"HELLO\"", "\"name\": \"PING\""), "needs HELLO");
    rejects(ok.replace("\"0xEDB88320\"", "\"EDB88320\""), "0x");
    rejects("{", "not valid JSON");
  }

  @Test
  void theFingerprintFollowsTheText() throws IOException {
    String ok = text();
    long a = ProtocolDefinition.parse(ok, "a").fingerprint();
    assertEquals(a, ProtocolDefinition.parse(ok.replace("\n", "\r\n"), "b").fingerprint(), "line endings do not count");
    assertNotEquals(a, ProtocolDefinition.parse(ok.replace("\"maxPayload\": 1024", "\"maxPayload\": 1000"), "c")
        .fingerprint());
  }
}
