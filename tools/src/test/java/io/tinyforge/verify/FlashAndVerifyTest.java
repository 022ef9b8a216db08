package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify --board imxrt1060-evk --port DEV --flash} end to end without the board: the real verification
 * image is built for the i.MX RT, handed to a fake {@code pyocd} on PATH (which records what it got), and the
 * "board" that then answers on DEV is a pty served by the host build of the same model's verification firmware.
 * So the flashing step, the port hand-over and the serial verification all run for real; only the silicon is
 * replaced.
 */
class FlashAndVerifyTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  static final Path DIGITS = ROOT.resolve("examples/digits_int8.tflite");

  @TempDir
  Path tmp;

  @Test
  void flashThenVerifyOverThePort() throws Exception {
    assumeTrue(FirmwareBuild.toolchainAvailable(BoardRegistry.load(ROOT).get("imxrt1060-evk")),
        "arm-none-eabi-gcc missing");
    assumeTrue(onPath("socat"), "socat missing (tools/setup installs it)");
    Path cache = tmp.resolve("cache");

    CliRun host = CliRun.of("verify", "--board", "host", DIGITS.toString(), "--build-only", "--cache-dir",
        cache.toString());
    assertEquals(0, host.code(), host.out() + host.err());
    Path hostFirmware = Path.of(host.out().lines().filter(l -> l.startsWith("verification firmware: ")).findFirst()
        .orElseThrow().substring("verification firmware: ".length()));

    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path port = tmp.resolve("ttyFAKE");
    Path args = tmp.resolve("pyocd-args.txt");
    Path flashed = tmp.resolve("flashed.hex");
    Path pid = tmp.resolve("socat.pid");
    Path pyocd = bin.resolve("pyocd");
    Files.writeString(pyocd, String.join("\n",
        "#!/bin/sh",
        "# fake pyocd: records its arguments and image, then 'boots' a board that answers on " + port,
        "printf '%s\\n' \"$@\" > '" + args + "'",
        "for a in \"$@\"; do case \"$a\" in *.hex) cp \"$a\" '" + flashed + "';; esac; done",
        "setsid socat PTY,link='" + port + "',raw,echo=0 EXEC:'" + hostFirmware + "' </dev/null >/dev/null 2>&1 &",
        "echo $! > '" + pid + "'",
        "exit 0", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(pyocd, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dtinyforge.root=" + ROOT, "io.tinyforge.cli.GenFirmware",
        "verify", "--board", "imxrt1060-evk", DIGITS.toString(), "--port", port.toString(), "--flash",
        "--random", "4", "--seed", "7", "--cache-dir", cache.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile());
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(180, TimeUnit.SECONDS), "verify --flash did not finish");
      String log = Files.readString(tmp.resolve("log"));
      assertEquals(0, p.exitValue(), log);
      assertTrue(log.contains("4/4 bit-exact"), log);
      assertTrue(log.contains("verify: flashed with " + pyocd), log);

      List<String> got = Files.readAllLines(args);
      assertEquals(List.of("flash", "--target", "mimxrt1060"), got.subList(0, 3), "pyocd arguments " + got);
      assertTrue(got.get(3).endsWith(".hex"), "image argument " + got);
      // Intel HEX of a FlexSPI NOR image: its data lives at 0x6000_0000 (extended linear address 0x6000) and
      // starts with the 'FCFB' configuration block tag
      String hex = Files.readString(flashed);
      assertTrue(hex.contains(":020000046000"), "no record for 0x60000000 in the flashed image");
      assertTrue(hex.contains("46434642"), "no FCFB tag in the flashed image");
    } finally {
      p.destroyForcibly();
      stopSocat(pid);
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void stopSocat(Path pidFile) throws IOException {
    if (Files.isRegularFile(pidFile)) {
      String pid = Files.readString(pidFile).strip();
      ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      });
    }
  }
}
