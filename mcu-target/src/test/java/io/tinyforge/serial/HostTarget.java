package io.tinyforge.serial;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The verification firmware built for the {@code host} board with the fake model, running as a process whose
 * stdin/stdout is the UART. Builds are cached per variant for the test JVM.
 */
final class HostTarget implements AutoCloseable {
  private static final Map<String, Path> BUILDS = new ConcurrentHashMap<>();

  final Process process;
  final Transport transport;

  private HostTarget(Process process) {
    this.process = process;
    this.transport = StreamTransport.of(process, "host target pid " + process.pid());
  }

  static Path repoRoot() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  static boolean toolchainPresent() {
    return FirmwareBuild.toolchainAvailable(hostBoard());
  }

  static Board hostBoard() {
    return BoardRegistry.load(repoRoot()).get("host");
  }

  /** Builds (once) the firmware with extra -D defines, e.g. TFK_TEST_PERTURB_OP=1. */
  static Path build(String variant, Map<String, String> defines) {
    return BUILDS.computeIfAbsent(variant, v -> {
      Path root = repoRoot();
      Path dir = root.resolve("mcu-target/target/test-verify/" + v);
      Path fake = root.resolve("firmware/app/test_model");
      VerifyAppSources app = VerifyAppSources.prepare(root, FakeModel.graph(), dir.resolve("gen"));
      FirmwareBuild b = app.addTo(FirmwareBuild.forBoard(hostBoard(), root))
          .addSource(fake.resolve("model.c")).addIncludeDir(fake);
      defines.forEach(b::define);
      return b.build(dir, "verify").image();
    });
  }

  static HostTarget start(Path image) {
    try {
      Process p = new ProcessBuilder(image.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      return new HostTarget(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Why the target is gone, for TargetSession's death check. */
  Optional<String> deathCheck() {
    return process.isAlive() ? Optional.empty() : Optional.of("the firmware process exited with " + process.exitValue());
  }

  TargetSession session(SessionOptions options) {
    return new TargetSession(transport, options, this::deathCheck);
  }

  static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    transport.close();
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
