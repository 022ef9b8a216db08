package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tinyforge checkout (boards/, templates/, firmware/) is: set by the launcher, else the working dir. */
public final class RepoRoot {
  private RepoRoot() {}

  public static Path find() {
    String prop = System.getProperty("tinyforge.root");
    String env = System.getenv("TINYFORGE_HOME");
    for (String candidate : new String[] {prop, env, "."}) {
      if (candidate != null && Files.isDirectory(Path.of(candidate, "boards"))) {
        return Path.of(candidate).toAbsolutePath().normalize();
      }
    }
    throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
        "cannot find the tinyforge installation (boards/, templates/, firmware/): run through tools/gen-firmware "
            + "or set TINYFORGE_HOME to the checkout");
  }
}
