package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.FlashMethod;
import io.tinyforge.board.MemoryUsage;
import io.tinyforge.model.Model;
import io.tinyforge.serial.SessionOptions;
import io.tinyforge.serial.TargetSession;
import io.tinyforge.serial.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One {@code verify} run end to end: build (or reuse) the firmware, start the target, check it runs this model,
 * run the input sets and print the summary. Returns the exit code: 0 only when every output matched.
 */
public final class Verification {
  private final Path repoRoot;
  private final Board board;
  private final Model model;
  private final String modelKey;
  private final ModelSourceGenerator generator;
  private final Reference reference;
  private final Path cacheRoot;
  private final Map<String, String> defines;
  private final SessionOptions options;
  private final boolean perLayer;
  private UnaryOperator<Transport> linkWrapper = UnaryOperator.identity();
  private String logPrefix = "verify";
  private boolean opHook = true;

  public Verification(Path repoRoot, Board board, Model model, String modelKey, ModelSourceGenerator generator,
      Reference reference, Path cacheRoot, Map<String, String> defines, SessionOptions options, boolean perLayer) {
    this.repoRoot = repoRoot;
    this.board = board;
    this.model = model;
    this.modelKey = modelKey;
    this.generator = generator;
    this.reference = reference;
    this.cacheRoot = cacheRoot;
    this.defines = Map.copyOf(defines);
    this.options = options;
    this.perLayer = perLayer;
  }

  /** Tests put a fault proxy between host and target with this. */
  public Verification wrapLink(UnaryOperator<Transport> wrapper) {
    this.linkWrapper = wrapper;
    return this;
  }

  /** Prefix of the progress lines on the error stream ("verify", or the verb that borrows this class). */
  public Verification logPrefix(String prefix) {
    this.logPrefix = prefix;
    return this;
  }

  /**
   * Without the per-op hook the model runs exactly as in a generated project (per-layer checks are then refused);
   * profiling measures its hooks' overhead against such a build.
   */
  public Verification opHook(boolean on) {
    this.opHook = on;
    return this;
  }

  /**
   * A target running this model's verification firmware and a session to it (not yet greeted: a
   * {@link Verifier#connect} checks the model hash and shapes).
   *
   * @param expectedHash the MODEL_HASH of the firmware built for this model
   * @param memory flash and RAM of the image when it was built here (empty for the host board or a port)
   */
  public record Target(TargetConnection connection, TargetSession session, String expectedHash,
      Optional<MemoryUsage> memory) {}

  /** What a caller does with a {@link Target} while it runs; the target is stopped afterwards. */
  @FunctionalInterface
  public interface TargetWork<T> {
    T run(Target target);
  }

  /** Builds the firmware and runs it in QEMU (QEMU boards) or as a process (the host board). */
  public int runBuilt(InputSets sets, PrintWriter out, PrintWriter err) {
    return onBuiltTarget(err, t -> verify(t, sets, out, err));
  }

  /** Builds the firmware, starts it in QEMU (or as a host process) and hands the running target to {@code work}. */
  public <T> T onBuiltTarget(PrintWriter err, TargetWork<T> work) {
    VerifyFirmware.Built fw = buildOnly(err);
    try (TargetConnection c = board.isHost() ? TargetConnection.hostProcess(fw.image())
        : TargetConnection.qemu(board, fw.image())) {
      return work.run(target(c, fw.model().modelHash(), fw.memory()));
    }
  }

  /** Builds (or reuses) the verification firmware only: the image to flash onto a real board. */
  public VerifyFirmware.Built buildOnly(PrintWriter err) {
    VerifyFirmware.Built fw = VerifyFirmware.build(repoRoot, board, model, modelKey, generator, defines, cacheRoot,
        opHook);
    err.println(logPrefix + ": firmware " + (fw.reused() ? "reused" : "built") + ": " + fw.image());
    err.flush();
    return fw;
  }

  /**
   * Builds the verification firmware, writes it to the real board with the board's flash method (board.json
   * "flash"), waits for the serial port to come back after the reset and verifies over it.
   */
  public int flashAndRunOnPort(String port, int baud, Duration flashTimeout, InputSets sets, PrintWriter out,
      PrintWriter err) {
    return onFlashedPort(port, baud, flashTimeout, err, t -> verify(t, sets, out, err));
  }

  /** As {@link #flashAndRunOnPort} but hands the flashed, running target to {@code work}. */
  public <T> T onFlashedPort(String port, int baud, Duration flashTimeout, PrintWriter err, TargetWork<T> work) {
    VerifyFirmware.Built fw = buildOnly(err);
    FlashMethod flasher = new FlashMethod(board);
    FlashMethod.Result r = flasher.flash(flasher.prepareImage(fw.image()), flashTimeout);
    err.println(logPrefix + ": flashed with " + String.join(" ", r.command()));
    err.flush();
    waitForPort(port, Duration.ofSeconds(15));
    try (TargetConnection c = TargetConnection.port(port, baud)) {
      return work.run(target(c, fw.model().modelHash(), fw.memory()));
    }
  }

  /** A board's USB serial port disappears for a moment while it resets after flashing. */
  private static void waitForPort(String port, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!java.nio.file.Files.exists(Path.of(port)) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Talks to a real board that already runs the verification firmware of this model. */
  public int runOnPort(String port, int baud, InputSets sets, PrintWriter out, PrintWriter err) {
    return onPort(port, baud, t -> verify(t, sets, out, err));
  }

  /** As {@link #runOnPort} but hands the board (already running this model's firmware) to {@code work}. */
  public <T> T onPort(String port, int baud, TargetWork<T> work) {
    try (TargetConnection c = TargetConnection.port(port, baud)) {
      // generated only for the hash the firmware of this model carries
      GeneratedModel g = generator.generate(board, cacheRoot.resolve(board.name()).resolve(modelKey + "-port")
          .resolve("model"));
      return work.run(target(c, g.modelHash(), Optional.empty()));
    }
  }

  private Target target(TargetConnection c, String expectedHash, Optional<MemoryUsage> memory) {
    return new Target(c, new TargetSession(linkWrapper.apply(c.transport()), options, c.deathCheck()), expectedHash,
        memory);
  }

  private int verify(Target t, InputSets sets, PrintWriter out, PrintWriter err) {
    Verifier v = new Verifier(model, reference, t.session(), perLayer, err);
    v.connect(t.expectedHash());
    VerifyResult r = v.run(sets);
    printSummary(r, t.connection(), t.memory(), sets, out);
    printClock(v.hello().coreClockHz, r, out);
    return r.allExact() ? 0 : TinyforgeException.EXIT_CHECK_FAILED;
  }

  /** Real boards measure their core clock: cycles become milliseconds at the speed that really ran. */
  private static void printClock(long coreClockHz, VerifyResult r, PrintWriter out) {
    if (coreClockHz > 0 && r.unit().equals("cycles")) {
      out.printf(Locale.ROOT, "core clock %.1f MHz (measured on the board): %.3f ms per inference (median)%n",
          coreClockHz / 1e6, r.median() * 1000.0 / coreClockHz);
      out.flush();
    }
  }

  private void printSummary(VerifyResult r, TargetConnection c, Optional<MemoryUsage> memory, InputSets sets,
      PrintWriter out) {
    String what = sets instanceof InputSets.Random rnd
        ? "random inputs generated on the target, seeds " + rnd.seed() + ".." + (rnd.seed() + rnd.count() - 1)
        : "input files";
    out.printf(Locale.ROOT, "verify: %s on %s (%s)%n", Path.of(model.source()).getFileName(), board.name(),
        c.description());
    out.printf(Locale.ROOT, "%d/%d bit-exact (%s)%s%n", r.exact(), r.sets(), what,
        r.allExact() ? "" : ": MISMATCH");
    r.mismatches().stream().limit(Verifier.SHOWN_MISMATCHES).forEach(line -> out.println("  " + line));
    if (r.mismatches().size() > Verifier.SHOWN_MISMATCHES) {
      out.println("  ... and " + (r.mismatches().size() - Verifier.SHOWN_MISMATCHES) + " more mismatching input sets");
    }
    String note = board.isQemu() ? " (QEMU counts instructions, not cycles)" : "";
    out.printf(Locale.ROOT, "%s per inference: min %d, median %d, max %d%s%n", r.unit(), r.min(), r.median(), r.max(),
        note);
    memory.ifPresent(mu -> out.printf(Locale.ROOT,
        "flash %d bytes, RAM %d bytes (verification firmware: model, runtime and protocol; arena %d, stack %d)%s%n",
        mu.flashBytes(), mu.ramBytes(), mu.arenaBytes(), mu.stackBytes(), mu.inputBytes() > 0
            ? String.format(Locale.ROOT, "; model inputs %d bytes in a memory of their own", mu.inputBytes()) : ""));
    if (r.stackBytes() > 0) {
      out.printf(Locale.ROOT, "stack high-water %d bytes during model_invoke (measured on the target by painting; "
          + "includes the verification app's frames)%n", r.stackBytes());
    }
    out.flush();
  }
}
