package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import io.tinyforge.cgen.ProjectWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder where verification firmware builds are kept. tinyforge replaces whatever it finds in its entries, so
 * it only writes into a folder it can tell is its own: a new or empty folder, which it marks with
 * {@value #MARKER}, or one that already carries that mark.
 */
public final class VerifyCache {
  static final String MARKER = ".tinyforge-cache";

  private VerifyCache() {}

  /** The checkout's own cache, {@code build/verify-cache}: tinyforge's by construction, marked when first used. */
  public static Path defaultIn(Path repoRoot) {
    Path dir = repoRoot.resolve("build/verify-cache").toAbsolutePath().normalize();
    mark(dir, "build/verify-cache");
    return dir;
  }

  /**
   * A cache folder the user named with {@code option} (e.g. --cache-dir): refused with exit 2 when it holds files
   * tinyforge did not write.
   */
  public static Path claim(Path dir, String option) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new TinyforgeException(option + " " + dir + " is a file; pass a folder for firmware builds");
    }
    if (Files.isDirectory(abs) && !Files.isRegularFile(abs.resolve(MARKER)) && !isEmpty(abs)) {
      throw new TinyforgeException(dir + " has files tinyforge did not write; choose an empty or new folder for "
          + option);
    }
    mark(abs, option);
    return abs;
  }

  /**
   * An entry of the cache written before tinyforge kept manifests has none; it is replaced whole, which is safe
   * because only a claimed cache folder holds such entries.
   */
  public static void dropEntryWithoutManifest(Path entry) {
    if (Files.isDirectory(entry) && !Files.exists(entry.resolve(ProjectWriter.MANIFEST))) {
      try {
        ProjectWriter.deleteTree(entry);
      } catch (IOException e) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot replace the cache entry " + entry
            + " (" + e.getMessage() + ")");
      }
    }
  }

  private static void mark(Path dir, String what) {
    try {
      Files.createDirectories(dir);
      Path marker = dir.resolve(MARKER);
      if (!Files.isRegularFile(marker)) {
        Files.writeString(marker, "tinyforge keeps verification firmware builds here; it may replace anything in"
            + " this folder.\n");
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot use " + dir + " as " + what + " ("
          + e.getMessage() + ")");
    }
  }

  private static boolean isEmpty(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read " + dir + " ("
          + e.getMessage() + ")");
    }
  }
}
