package io.tinyforge.sim;

import io.tinyforge.sim.oracle.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared fixtures ({@code ../shared/models} from the repository root). */
final class SharedModels {
  private SharedModels() {}

  static Path dir() {
    return Oracle.repoRoot().resolve("../shared/models").normalize();
  }

  static boolean present() {
    return Files.isDirectory(dir());
  }

  static Path model(String file) {
    return dir().resolve(file);
  }
}
