package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a generated project into a folder without ever deleting or overwriting a file that tinyforge did not write.
 *
 * <p>The folder keeps a manifest ({@value FolderManifest#NAME}) of the files tinyforge wrote there and their
 * hashes. A new folder is written into a temporary folder beside it and renamed into place, so it is never seen
 * half-written. An existing folder is updated in place, file by file with atomic renames from a staging folder
 * inside it: files of the manifest whose contents are unchanged are replaced or, when the new project no longer
 * has them, deleted; a file the user edited is kept and reported (unless {@code force}); a file tinyforge did not
 * write is never touched. A non-empty folder without a manifest is refused unless {@code force}, and then
 * generated files are written beside the foreign ones.
 */
public final class ProjectWriter {
  /** What a write did beyond writing the project: every file it left alone, by path relative to the folder. */
  public record Result(List<String> keptEdited, List<String> keptForeign, List<String> removed) {
    public Result {
      keptEdited = List.copyOf(keptEdited);
      keptForeign = List.copyOf(keptForeign);
      removed = List.copyOf(removed);
    }

    /** One line per file that was not written, for the CLI; empty when everything was written. */
    public List<String> notes(Path folder) {
      List<String> lines = new ArrayList<>();
      for (String f : keptEdited) {
        lines.add("kept " + folder.resolve(f) + ": you edited it since tinyforge wrote it (--force overwrites it)");
      }
      for (String f : keptForeign) {
        lines.add("kept " + folder.resolve(f) + ": tinyforge did not write it, so the generated " + f
            + " was not written; move it away to get the generated one");
      }
      return lines;
    }
  }

  /** The name of the manifest file in every folder tinyforge writes. */
  public static final String MANIFEST = FolderManifest.NAME;
  private static final String STAGING_PREFIX = ".tinyforge-staging-";

  private ProjectWriter() {}

  /** Writes {@code project} into {@code out} without {@code force}. */
  public static Result write(CProject project, Path out) {
    return write(project.files(), out, false);
  }

  public static Result write(CProject project, Path out, boolean force) {
    return write(project.files(), out, force);
  }

  /**
   * Writes {@code files} (contents by relative path) into {@code out} following the rules of this class.
   *
   * @throws TinyforgeException exit 2 when {@code out} is a file or holds files tinyforge did not write (and not
   *     {@code force}); exit 3 when the file system refuses a write
   */
  public static Result write(SortedMap<String, byte[]> files, Path out, boolean force) {
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new TinyforgeException("output folder " + out + " is the file system root; choose a subfolder");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new TinyforgeException("output " + out + " exists and is not a folder; choose another -o");
    }
    for (String f : files.keySet()) {
      if (f.equals(FolderManifest.NAME) || f.startsWith(STAGING_PREFIX)) {
        throw new IllegalArgumentException("a project may not contain " + f);
      }
    }
    try {
      if (Files.isDirectory(target)) {
        return update(files, out, target, force);
      }
      create(files, target, parent);
      return new Result(List.of(), List.of(), List.of());
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + out + " ("
          + e.getMessage() + ")");
    }
  }

  /** A new folder: everything, manifest included, goes into a temporary folder that is then renamed into place. */
  private static void create(SortedMap<String, byte[]> files, Path target, Path parent) throws IOException {
    Files.createDirectories(parent);
    String prefix = "." + target.getFileName() + ".tmp-";
    removeAbandonedTemporaries(parent, prefix);
    Path tmp = Files.createTempDirectory(parent, prefix);
    try {
      readableByAll(tmp);
      // The manifest goes first: a temporary folder left by a killed run is recognisable as tinyforge's.
      FolderManifest.of(files).write(tmp);
      writeAll(files, tmp);
      move(tmp, target);
      tmp = null;
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  private static Result update(SortedMap<String, byte[]> files, Path out, Path target, boolean force)
      throws IOException {
    removeAbandonedStaging(target);
    FolderManifest old = FolderManifest.read(target);
    if (old.isEmpty() && !isEmptyFolder(target) && !force) {
      throw new TinyforgeException(out + " has files tinyforge did not write; choose an empty folder or pass --force"
          + " (which writes beside them and never deletes or overwrites them)");
    }
    List<String> keptEdited = new ArrayList<>();
    List<String> keptForeign = new ArrayList<>();
    SortedMap<String, byte[]> toWrite = new TreeMap<>();
    Map<String, String> recorded = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      String path = e.getKey();
      String newHash = FolderManifest.hash(e.getValue());
      Path p = target.resolve(path);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        toWrite.put(path, e.getValue());
        recorded.put(path, newHash);
      } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        keptForeign.add(path);
      } else if (!old.lists(path)) {
        // Not written by tinyforge, so never overwritten; one already holding exactly the generated bytes (an
        // older tinyforge's output) is adopted, which changes nothing on disk.
        if (newHash.equals(FolderManifest.hash(Files.readAllBytes(p)))) {
          recorded.put(path, newHash);
        } else {
          keptForeign.add(path);
        }
      } else if (force || old.matches(path, FolderManifest.hash(Files.readAllBytes(p)))) {
        toWrite.put(path, e.getValue());
        recorded.put(path, newHash);
      } else {
        keptEdited.add(path);
        recorded.put(path, old.hashes(path).iterator().next());
      }
    }
    List<String> obsolete = new ArrayList<>();
    for (String path : old.paths()) {
      if (files.containsKey(path)) {
        continue;
      }
      Path p = target.resolve(path);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (force || old.matches(path, FolderManifest.hash(Files.readAllBytes(p)))) {
        obsolete.add(path);
      } else {
        keptEdited.add(path);
        recorded.put(path, old.hashes(path).iterator().next());
      }
    }

    // Stage every new file first, so a failure to write (disk full) changes nothing in the folder.
    Path staging = Files.createTempDirectory(target, STAGING_PREFIX);
    try {
      writeAll(toWrite, staging);
      // While files are being swapped, the manifest accepts both the old and the new contents, so a run killed
      // half-way leaves a folder whose every generated file is still recognised as tinyforge's.
      old.union(FolderManifest.of(toWrite)).write(target);
      for (String path : toWrite.keySet()) {
        Path dest = target.resolve(path);
        Files.createDirectories(dest.getParent());
        move(staging.resolve(path), dest);
      }
      for (String path : obsolete) {
        Files.deleteIfExists(target.resolve(path));
        removeEmptyParents(target, target.resolve(path).getParent());
      }
      FolderManifest.ofHashes(recorded).write(target);
    } finally {
      deleteQuietly(staging);
    }
    return new Result(keptEdited, keptForeign, obsolete);
  }

  private static void writeAll(SortedMap<String, byte[]> files, Path dir) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    }
  }

  /** Deletes folders emptied by removing obsolete files, up to (not including) the project folder. */
  private static void removeEmptyParents(Path root, Path dir) throws IOException {
    while (dir != null && !dir.equals(root) && dir.startsWith(root) && isEmptyFolder(dir)) {
      Files.delete(dir);
      dir = dir.getParent();
    }
  }

  /** Staging folders of a killed run inside the project folder: named by tinyforge, so removing them is safe. */
  private static void removeAbandonedStaging(Path target) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(target, STAGING_PREFIX + "*")) {
      for (Path p : s) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(p);
        }
      }
    }
  }

  /** Temporary folders of a killed run beside the project folder; only those holding a manifest (tinyforge's). */
  private static void removeAbandonedTemporaries(Path parent, String prefix) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, glob(prefix) + "*")) {
      for (Path p : s) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(p.resolve(FolderManifest.NAME))) {
          deleteTree(p);
        }
      }
    }
  }

  private static String glob(String literal) {
    return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }

  /** Temp folders are created private; the project should get the usual permissions. */
  private static void readableByAll(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException | IOException ignored) {
      // not a POSIX file system: keep the default
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException ignored) {
      // best effort: a leftover staging folder is removed by the next write
    }
  }

  /** Deletes a folder and everything in it (for folders tinyforge owns whole, such as its caches). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** The paths of {@code files} that a manifest in {@code dir} lists; for tests and reports. */
  static Set<String> recordedPaths(Path dir) throws IOException {
    return FolderManifest.read(dir).paths();
  }
}
