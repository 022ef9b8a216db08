package io.tinyforge.serial;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault proxy between host and target, for robustness tests: wraps the real link and, byte by byte and seeded
 * (so a failing run repeats), flips a bit, drops the byte or sends it twice, in either direction. {@link #silence()}
 * makes the target look dead: nothing more reaches it and nothing more comes back. Counters say what was injected,
 * so a test can insist that faults really happened.
 */
public final class FaultInjectingTransport implements Transport {
  /** Per-byte fault probabilities of one direction. */
  public record Faults(double flip, double drop, double duplicate) {
    public static final Faults NONE = new Faults(0, 0, 0);
  }

  private final Transport inner;
  private final Faults toTarget;
  private final Faults toHost;
  private final Random random;
  private volatile boolean silent;
  private final AtomicLong flips = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private byte[] pending = new byte[0];

  public FaultInjectingTransport(Transport inner, Faults toTarget, Faults toHost, long seed) {
    this.inner = inner;
    this.toTarget = toTarget;
    this.toHost = toHost;
    this.random = new Random(seed);
  }

  /** From now on the target neither hears nor answers. */
  public void silence() {
    silent = true;
  }

  public long flips() {
    return flips.get();
  }

  public long drops() {
    return drops.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long total() {
    return flips() + drops() + duplicates();
  }

  @Override
  public void write(byte[] data) {
    if (silent) {
      return;
    }
    inner.write(mangle(data, data.length, toTarget));
  }

  @Override
  public int read(byte[] buf, int timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (true) {
      if (pending.length > 0) {
        int n = Math.min(buf.length, pending.length);
        System.arraycopy(pending, 0, buf, 0, n);
        pending = java.util.Arrays.copyOfRange(pending, n, pending.length);
        return n;
      }
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (leftMs <= 0) {
        return 0;
      }
      byte[] raw = new byte[buf.length];
      int n = inner.read(raw, (int) leftMs);
      if (n <= 0) {
        return n;
      }
      if (!silent) {
        pending = mangle(raw, n, toHost);
      }
    }
  }

  private synchronized byte[] mangle(byte[] data, int len, Faults f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 8);
    for (int i = 0; i < len; i++) {
      byte b = data[i];
      if (f.drop() > 0 && random.nextDouble() < f.drop()) {
        drops.incrementAndGet();
        continue;
      }
      if (f.flip() > 0 && random.nextDouble() < f.flip()) {
        b ^= (byte) (1 << random.nextInt(8));
        flips.incrementAndGet();
      }
      out.write(b);
      if (f.duplicate() > 0 && random.nextDouble() < f.duplicate()) {
        out.write(b);
        duplicates.incrementAndGet();
      }
    }
    return out.toByteArray();
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public void close() {
    inner.close();
  }
}
