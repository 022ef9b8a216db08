package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.MemoryUsage;
import io.tinyforge.model.Model;
import io.tinyforge.serial.VerifyAppSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Builds the verification firmware of a model for a board in a cache folder keyed by model and board. Sources are
 * regenerated every time (milliseconds); the compiler only runs when the digest of everything it would read
 * (sources, headers, board files, the command line) differs from the stamp of the last build.
 */
public final class VerifyFirmware {
  /** A ready image; {@code memory} is empty for the host board. */
  public record Built(Path image, Optional<MemoryUsage> memory, boolean reused, GeneratedModel model) {}

  private static final String STAMP = "build.stamp";

  private VerifyFirmware() {}

  /**
   * @param modelKey names the cache entry (e.g. the model file's SHA-256 prefix); {@code defines} are extra -D
   *     flags (test perturbation), which also get their own entry
   */
  public static Built build(Path repoRoot, Board board, Model model, String modelKey, ModelSourceGenerator generator,
      Map<String, String> defines, Path cacheRoot) {
    return build(repoRoot, board, model, modelKey, generator, defines, cacheRoot, true);
  }

  /**
   * As above; without {@code opHook} the model is compiled as in a generated project (no call between operators),
   * the baseline a profiling build's overhead is measured against.
   */
  public static Built build(Path repoRoot, Board board, Model model, String modelKey, ModelSourceGenerator generator,
      Map<String, String> defines, Path cacheRoot, boolean opHook) {
    String variant = (defines.isEmpty() ? "" : "-" + digest(new TreeMap<>(defines).toString()).substring(0, 8))
        + (opHook ? "" : "-nohook");
    Path dir = cacheRoot.resolve(board.name()).resolve(modelKey + variant).toAbsolutePath();
    GeneratedModel generated = generator.generate(board, dir.resolve("model"));
    VerifyAppSources app = VerifyAppSources.prepare(repoRoot, model, dir.resolve("app-gen"));
    FirmwareBuild build = app.addTo(FirmwareBuild.forBoard(board, repoRoot), opHook);
    build.addSources(generated.sources());
    generated.includeDirs().forEach(build::addIncludeDir);
    generated.defines().forEach(build::define);
    build.addFlags(generated.linkFlags().toArray(String[]::new));
    defines.forEach(build::define);

    Path image = build.outputImage(dir, "verify");
    String stamp = stamp(repoRoot, board, build.command(dir, "verify"), generated, app);
    Path stampFile = dir.resolve(STAMP);
    boolean reused = Files.isRegularFile(image) && stamp.equals(readOrEmpty(stampFile));
    if (!reused) {
      deleteQuietly(stampFile);
      image = build.build(dir, "verify").image();
      try {
        Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + stampFile + " ("
            + e.getMessage() + ")");
      }
    }
    Optional<MemoryUsage> memory = board.isHost() ? Optional.empty()
        : Optional.of(new FirmwareBuild.Artifact(board, image, Optional.empty(), "").memoryUsage());
    return new Built(image, memory, reused, generated);
  }

  /** Digest of the command and of every file the compiler could read. */
  private static String stamp(Path repoRoot, Board board, List<String> command, GeneratedModel generated,
      VerifyAppSources app) {
    TreeSet<Path> files = new TreeSet<>();
    generated.sources().forEach(files::add);
    app.sources().forEach(files::add);
    for (Path dir : generated.includeDirs()) {
      files.addAll(tree(dir));
    }
    for (Path dir : app.includeDirs()) {
      files.addAll(tree(dir));
    }
    files.addAll(tree(repoRoot.resolve("firmware")));
    files.addAll(tree(board.dir()));
    StringBuilder sb = new StringBuilder(String.join("\u0000", command)).append('\n');
    for (Path f : files) {
      try {
        sb.append(f).append(' ').append(digest(Files.readAllBytes(f))).append('\n');
      } catch (IOException e) {
        sb.append(f).append(" unreadable\n");
      }
    }
    return digest(sb.toString());
  }

  private static List<Path> tree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString();
        return n.endsWith(".c") || n.endsWith(".h") || n.endsWith(".ld") || n.endsWith(".json") || n.endsWith(".S")
            || n.endsWith(".s") || n.endsWith(".inc") || n.endsWith(".bin");
      }).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** SHA-256 of a file, hex; the model's cache key. */
  public static String fileDigest(Path file) {
    try {
      return digest(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new TinyforgeException("cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  static String digest(String s) {
    return digest(s.getBytes(StandardCharsets.UTF_8));
  }

  static String digest(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readOrEmpty(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // rebuilt anyway
    }
  }
}
