package io.tinyforge.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The host gcc for the equivalence tests: the tfk kernels are compiled once (with the sanitizers) into a static
 * library, each generated model is then compiled alone and linked against it.
 */
final class HostToolchain {
  // TFK_CHECK_SCRATCH_SIZES: a kernel given less scratch than its C size function says aborts the run, so every
  // equivalence case also checks the generator's scratch sizes (ScratchSizes) against the kernels'.
  static final List<String> FLAGS = List.of("-std=c99", "-O1", "-g0", "-Wall", "-Wextra", "-Werror",
      "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-DTFK_CHECK_SCRATCH_SIZES");

  private final Path root;
  private final Path library;

  private HostToolchain(Path root, Path library) {
    this.root = root;
    this.library = library;
  }

  /** Process output and exit code. */
  record Run(int exitCode, String output) {}

  static boolean available() {
    try {
      return run(List.of("gcc", "--version"), null, 30).exitCode() == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Compiles firmware/kernels/*.c into dir/libtfk.a. */
  static HostToolchain build(Path root, Path dir) throws IOException {
    Path objDir = Files.createDirectories(dir.resolve("tfk-obj"));
    List<Path> sources;
    try (Stream<Path> s = Files.list(root.resolve("firmware/kernels"))) {
      sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
    }
    List<String> objects = new ArrayList<>();
    for (Path src : sources) {
      Path obj = objDir.resolve(src.getFileName().toString().replace(".c", ".o"));
      List<String> cmd = new ArrayList<>(List.of("gcc", "-c"));
      cmd.addAll(FLAGS);
      cmd.addAll(List.of("-I" + root.resolve("firmware/include"), "-I" + root.resolve("firmware/kernels"),
          "-o", obj.toString(), src.toString()));
      Run r = run(cmd, null, 300);
      if (r.exitCode() != 0) {
        throw new IllegalStateException("kernel " + src.getFileName() + " does not compile:\n" + r.output());
      }
      objects.add(obj.toString());
    }
    Path lib = dir.resolve("libtfk.a");
    List<String> ar = new ArrayList<>(List.of("ar", "rcs", lib.toString()));
    ar.addAll(objects);
    Run r = run(ar, null, 60);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("ar failed: " + r.output());
    }
    return new HostToolchain(root, lib);
  }

  /** Compiles a generated host project's model and runner (not its kernel copies) against the library. */
  Path compile(Path project) {
    Path exe = project.resolve("model_runner");
    List<String> cmd = new ArrayList<>(List.of("gcc"));
    cmd.addAll(FLAGS);
    cmd.addAll(List.of("-I" + project, "-I" + project.resolve("tfk/include"), "-o", exe.toString(),
        project.resolve("model.c").toString(), project.resolve("model_weights.c").toString(),
        project.resolve("main.c").toString(), library.toString(), "-lm"));
    Run r = run(cmd, null, 300);
    if (r.exitCode() != 0) {
      throw new AssertionError("generated C does not compile with " + FLAGS + ":\n" + r.output());
    }
    return exe;
  }

  static Run run(List<String> cmd, Path workDir, long timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      // ASan's leak checker needs ptrace, which containers often forbid; leaks are not what we look for here.
      pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Run(-1, "timed out: " + cmd);
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  Path root() {
    return root;
  }
}
