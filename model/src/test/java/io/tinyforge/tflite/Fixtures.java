package io.tinyforge.tflite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test models are: the repo root (system property {@code tinyforge.root}, set by surefire, else the
 * working directory's parent), the shared fixtures at {@code ../shared/models} next to it, and the committed
 * {@code examples/digits_int8.tflite}. Tests that need the shared models skip when they are absent.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path repoRoot() {
    String prop = System.getProperty("tinyforge.root");
    Path root = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  /** {@code ../shared/models} from the repo root (may not exist). */
  public static Path sharedModelsDir() {
    return repoRoot().resolve("../shared/models").normalize();
  }

  public static boolean sharedModelsPresent() {
    return Files.isRegularFile(sharedModelsDir().resolve("MANIFEST.md"));
  }

  /** Skips the calling test, with a message saying what is missing, when ../shared/models is absent. */
  public static void assumeSharedModels() {
    assumeTrue(sharedModelsPresent(), "shared fixtures absent: " + sharedModelsDir()
        + " (../shared/models from the repo root) has no MANIFEST.md; these tests need the shared models");
  }

  /** A file of ../shared/models; skips the test when the shared fixtures are absent. */
  public static Path shared(String file) {
    assumeSharedModels();
    Path p = sharedModelsDir().resolve(file);
    assertTrue(Files.isRegularFile(p), "MANIFEST.md lists " + file + " but " + p + " is missing");
    return p;
  }

  /** The committed default model; it is in the repo, so its absence is a failure, not a skip. */
  public static Path digits() {
    Path p = repoRoot().resolve("examples/digits_int8.tflite");
    assertTrue(Files.isRegularFile(p), "committed model missing: " + p);
    return p;
  }

  public static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Model read(Path p) {
    return TfliteReader.read(p);
  }
}
