package io.tinyforge.serial;

import java.time.Duration;

/**
 * Time limits of a {@link TargetSession}. Every request is bounded: an ordinary one by {@code attempts} tries of
 * {@code replyTimeout} (plus the time its bytes need on a slow UART), INVOKE by {@code invokeTimeout}, the first
 * HELLO by {@code helloTimeout}.
 *
 * @param replyTimeout wait for one reply before resending
 * @param attempts tries per request
 * @param invokeTimeout the longest one inference may take
 * @param helloTimeout how long to ping a target that has not answered yet (boot, pty not attached)
 * @param bytesPerSecond the slowest expected link speed, to stretch timeouts for long frames
 */
public record SessionOptions(Duration replyTimeout, int attempts, Duration invokeTimeout, Duration helloTimeout,
    int bytesPerSecond) {

  /** QEMU's UART receives 10-42 KiB/s; a real board at 115200 baud about 11 KiB/s. */
  public static final SessionOptions DEFAULT =
      new SessionOptions(Duration.ofSeconds(1), 8, Duration.ofSeconds(120), Duration.ofSeconds(15), 8_000);

  public SessionOptions {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1");
    }
  }

  public SessionOptions withInvokeTimeout(Duration d) {
    return new SessionOptions(replyTimeout, attempts, d, helloTimeout, bytesPerSecond);
  }

  public SessionOptions withReplyTimeout(Duration d) {
    return new SessionOptions(d, attempts, invokeTimeout, helloTimeout, bytesPerSecond);
  }

  public SessionOptions withHelloTimeout(Duration d) {
    return new SessionOptions(replyTimeout, attempts, invokeTimeout, d, bytesPerSecond);
  }

  public SessionOptions withAttempts(int n) {
    return new SessionOptions(replyTimeout, n, invokeTimeout, helloTimeout, bytesPerSecond);
  }
}
