package io.tinyforge.cgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The list of files tinyforge wrote into a folder, with the SHA-256 of what it wrote: what lets a later write tell
 * its own unchanged files from files the user edited or added. One line per file, {@code <sha256>  <path>}, sorted,
 * so the same project gives the same bytes. A path may carry two hashes while a write is swapping files.
 */
final class FolderManifest {
  static final String NAME = ".tinyforge-manifest";
  private static final String HEADER = "# Files tinyforge wrote here. It deletes or overwrites a file only while its"
      + " hash below still matches.";

  private final SortedMap<String, Set<String>> hashesByPath;

  private FolderManifest(SortedMap<String, Set<String>> hashesByPath) {
    this.hashesByPath = hashesByPath;
  }

  /** A manifest with one hash per path. */
  static FolderManifest ofHashes(Map<String, String> hashByPath) {
    SortedMap<String, Set<String>> m = new TreeMap<>();
    hashByPath.forEach((p, h) -> m.computeIfAbsent(p, k -> new TreeSet<>()).add(h));
    return new FolderManifest(m);
  }

  static FolderManifest of(SortedMap<String, byte[]> files) {
    SortedMap<String, String> m = new TreeMap<>();
    files.forEach((p, b) -> m.put(p, hash(b)));
    return ofHashes(m);
  }

  /** The manifest in {@code dir}; empty when there is none (or it is not a regular file). */
  static FolderManifest read(Path dir) throws IOException {
    Path f = dir.resolve(NAME);
    SortedMap<String, Set<String>> m = new TreeMap<>();
    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int sep = line.indexOf("  ");
        if (line.startsWith("#") || sep != 64) {
          continue;
        }
        String path = line.substring(sep + 2);
        if (isSafeRelative(path)) {
          m.computeIfAbsent(path, k -> new TreeSet<>()).add(line.substring(0, sep));
        }
      }
    }
    return new FolderManifest(m);
  }

  /** A hand-edited manifest must not make tinyforge delete anything outside its folder. */
  private static boolean isSafeRelative(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
      return false;
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  void write(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    hashesByPath.forEach((p, hs) -> hs.forEach(h -> sb.append(h).append("  ").append(p).append('\n')));
    Path tmp = dir.resolve(NAME + ".new");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  FolderManifest union(FolderManifest other) {
    SortedMap<String, Set<String>> m = new TreeMap<>();
    for (FolderManifest f : new FolderManifest[] {this, other}) {
      f.hashesByPath.forEach((p, hs) -> m.computeIfAbsent(p, k -> new TreeSet<>()).addAll(hs));
    }
    return new FolderManifest(m);
  }

  boolean isEmpty() {
    return hashesByPath.isEmpty();
  }

  boolean lists(String path) {
    return hashesByPath.containsKey(path);
  }

  boolean matches(String path, String hash) {
    return hashesByPath.getOrDefault(path, Set.of()).contains(hash);
  }

  Set<String> hashes(String path) {
    return Collections.unmodifiableSet(hashesByPath.getOrDefault(path, Set.of()));
  }

  Set<String> paths() {
    return Collections.unmodifiableSet(hashesByPath.keySet());
  }

  static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
