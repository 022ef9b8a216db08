package io.tinyforge.cli;

import io.tinyforge.board.Board;
import io.tinyforge.verify.VerifyCache;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the verbs that run a model on a target (verify, profile): serial speed, time limit, build cache. */
final class LinkOptions {
  @Option(names = "--baud", description = "Baud rate of --port (default: the board's).")
  Integer baud;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest one inference may take (default 120).")
  int timeoutSeconds = 120;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where firmware builds are kept for reuse (default: build/verify-cache in the checkout).")
  Path cacheDir;

  /** --baud, else the board's console speed, else 115200. */
  int baudFor(Board b) {
    return baud != null ? baud : b.uart().baud() > 0 ? b.uart().baud() : 115200;
  }

  /** The build cache: --cache-dir (claimed: empty or already tinyforge's), else the checkout's own. */
  Path cache(Path root) {
    return cacheDir != null ? VerifyCache.claim(cacheDir, "--cache-dir") : VerifyCache.defaultIn(root);
  }

  /** --timeout as a duration; exit 2 unless positive. */
  Duration invokeTimeout() {
    return Duration.ofSeconds(VerifyCommand.positiveTimeout(timeoutSeconds));
  }
}
