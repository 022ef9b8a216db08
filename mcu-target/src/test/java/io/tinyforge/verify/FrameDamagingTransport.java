package io.tinyforge.verify;

import io.tinyforge.serial.Frame;
import io.tinyforge.serial.FrameDecoder;
import io.tinyforge.serial.Transport;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * A link fault that framing cannot catch: frames of one message type are decoded, one payload byte is flipped, and
 * the frame is encoded again with a matching CRC. What a target (or host) then receives is wrong but well formed,
 * the worst case for a verifier: a wrong input that runs, or a wrong reply that reads as a mismatch.
 */
final class FrameDamagingTransport implements Transport {
  private final Transport inner;
  private final Damage toTarget;
  private final Damage toHost;
  private final FrameDecoder fromHost = new FrameDecoder();
  private final FrameDecoder fromTarget = new FrameDecoder();
  private byte[] pending = new byte[0];

  /** Damages the first {@code count} frames of message {@code type} (every one when count is negative). */
  static final class Damage {
    private final int type;
    private int left;
    private int done;

    Damage(int type, int count) {
      this.type = type;
      this.left = count;
    }

    static Damage none() {
      return new Damage(-1, 0);
    }

    int done() {
      return done;
    }

    byte[] apply(Frame f) {
      byte[] p = f.payload();
      if (f.type() != type || left == 0 || p.length == 0) {
        return Frame.encode(f.version(), f.type(), f.seq(), p);
      }
      left--;
      done++;
      byte[] q = Arrays.copyOf(p, p.length);
      q[q.length - 1] ^= 0x10;
      return Frame.encode(f.version(), f.type(), f.seq(), q);
    }
  }

  FrameDamagingTransport(Transport inner, Damage toTarget, Damage toHost) {
    this.inner = inner;
    this.toTarget = toTarget;
    this.toHost = toHost;
  }

  @Override
  public void write(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : data) {
      Optional<FrameDecoder.Result> r = fromHost.push(b);
      if (r.isPresent() && r.get() instanceof FrameDecoder.Good g) {
        out.writeBytes(toTarget.apply(g.frame()));
      }
    }
    if (out.size() > 0) {
      inner.write(out.toByteArray());
    }
  }

  @Override
  public int read(byte[] buf, int timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (pending.length == 0) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return 0;
      }
      byte[] raw = new byte[4096];
      int n = inner.read(raw, (int) left);
      if (n < 0) {
        return n;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < n; i++) {
        Optional<FrameDecoder.Result> r = fromTarget.push(raw[i]);
        if (r.isPresent() && r.get() instanceof FrameDecoder.Good g) {
          out.writeBytes(toHost.apply(g.frame()));
        }
      }
      pending = out.toByteArray();
    }
    int n = Math.min(buf.length, pending.length);
    System.arraycopy(pending, 0, buf, 0, n);
    pending = Arrays.copyOfRange(pending, n, pending.length);
    return n;
  }

  @Override
  public String describe() {
    return "damaging proxy of " + inner.describe();
  }

  @Override
  public void close() {
    inner.close();
  }
}
