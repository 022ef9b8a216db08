package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
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
 * {@code profile --board imxrt1060-evk --port DEV --flash} without the board: both i.MX RT images (without hooks,
 * then with per-op counters) are really built and handed to a fake {@code pyocd} on PATH, which "boots" a pty served
 * by a host build standing in for the image it got: the host verification firmware for the build without hooks, the
 * host profiling firmware for the other. The profile can only succeed if the profiling image is flashed last and
 * the port is reopened after each flash.
 */
class ProfileFlashTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  static final Path DIGITS = ROOT.resolve("examples/digits_int8.tflite");

  @TempDir
  Path tmp;

  @Test
  void flashesTheBuildWithoutHooksThenTheProfilingBuild() throws Exception {
    assumeTrue(FirmwareBuild.toolchainAvailable(BoardRegistry.load(ROOT).get("imxrt1060-evk")),
        "arm-none-eabi-gcc missing");
    assumeTrue(onPath("socat"), "socat missing (tools/setup installs it)");
    Path cache = tmp.resolve("cache");
    Path plainHost = builtImage(CliRun.of("verify", "--board", "host", DIGITS.toString(), "--build-only",
        "--cache-dir", cache.toString()), "verification firmware: ");
    Path profilingHost = builtImage(CliRun.of("profile", "--board", "host", DIGITS.toString(), "--build-only",
        "--cache-dir", cache.toString()), "profiling firmware: ");

    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path port = tmp.resolve("ttyFAKE");
    Path flashed = tmp.resolve("flashed.txt");
    Path pid = tmp.resolve("socat.pid");
    Path pyocd = bin.resolve("pyocd");
    Files.writeString(pyocd, String.join("\n",
        "#!/bin/sh",
        "# fake pyocd: 'boots' a board on " + port + " running the host stand-in of the image it was given",
        "if [ -f '" + pid + "' ]; then old=$(cat '" + pid + "'); kill $old 2>/dev/null;"
            + " while kill -0 $old 2>/dev/null; do sleep 0.05; done; rm -f '" + port + "'; fi",
        "fw='" + profilingHost + "'",
        "for a in \"$@\"; do case \"$a\" in *-nohook/*) fw='" + plainHost + "';; esac;"
            + " case \"$a\" in *.hex) echo \"$a\" >> '" + flashed + "';; esac; done",
        "setsid socat PTY,link='" + port + "',raw,echo=0 EXEC:\"$fw\" </dev/null >/dev/null 2>&1 &",
        "echo $! > '" + pid + "'",
        "exit 0", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(pyocd, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dtinyforge.root=" + ROOT, "io.tinyforge.cli.GenFirmware",
        "profile", "--board", "imxrt1060-evk", DIGITS.toString(), "--port", port.toString(), "--flash", "--runs", "2",
        "--cache-dir", cache.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile());
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "profile --flash did not finish");
      String log = Files.readString(tmp.resolve("log"));
      assertEquals(0, p.exitValue(), log);
      List<String> images = Files.readAllLines(flashed);
      assertEquals(2, images.size(), "two images flashed: " + images);
      assertTrue(images.get(0).contains("-nohook/"), "the build without hooks first: " + images);
      assertTrue(!images.get(1).contains("-nohook/"), "then the profiling build: " + images);
      assertTrue(log.contains("outputs: bit-exact with the simulator on every run (2 of 2)"), log);
      assertTrue(log.contains("counter: 1 cycle (DWT CYCCNT)"), log);
      assertTrue(log.contains("profiling overhead: whole inference"), log);
    } finally {
      p.destroyForcibly();
      stopSocat(pid);
    }
  }

  private static Path builtImage(CliRun r, String prefix) {
    assertEquals(0, r.code(), r.out() + r.err());
    return Path.of(r.out().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
        .substring(prefix.length()));
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
