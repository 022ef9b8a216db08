package io.tinyforge.serial;

import io.tinyforge.serial.protocol.Protocol;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reassembles frames from a byte stream. Bytes are collected up to each 0x00 delimiter; the block is then either a
 * valid frame or garbage (bad COBS, wrong length, wrong CRC). Garbage costs only the block it is in: the next
 * delimiter starts afresh, which is how the link resynchronises after dropped, duplicated or flipped bytes.
 */
public final class FrameDecoder {
  /** What one delimited block turned out to be. */
  public sealed interface Result permits Good, Bad {}

  public record Good(Frame frame) implements Result {}

  /** A non-empty block that is not a frame, and why. */
  public record Bad(String reason) implements Result {}

  private final byte[] buf = new byte[Protocol.MAX_WIRE];
  private int len;
  private boolean overflow;

  /** Feeds one byte; returns a result when it was a delimiter closing a non-empty block. */
  public Optional<Result> push(byte b) {
    if (b != 0) {
      if (len < buf.length) {
        buf[len++] = b;
      } else {
        overflow = true;
      }
      return Optional.empty();
    }
    if (len == 0 && !overflow) {
      return Optional.empty();
    }
    Result r = overflow ? new Bad("frame longer than " + Protocol.MAX_WIRE + " bytes") : parse();
    len = 0;
    overflow = false;
    return Optional.of(r);
  }

  /** Drops a partially received block (after a timeout, before a resend). */
  public void reset() {
    len = 0;
    overflow = false;
  }

  private Result parse() {
    Optional<byte[]> decoded = Cobs.decode(buf, 0, len);
    if (decoded.isEmpty()) {
      return new Bad("invalid COBS");
    }
    byte[] body = decoded.get();
    int n = body.length;
    if (n < Protocol.HEADER_BYTES + Protocol.TRAILER_BYTES) {
      return new Bad("only " + n + " bytes");
    }
    int crc = (body[n - 4] & 0xFF) | (body[n - 3] & 0xFF) << 8 | (body[n - 2] & 0xFF) << 16 | (body[n - 1] & 0xFF) << 24;
    if (Protocol.crc32(body, 0, n - 4) != crc) {
      return new Bad("CRC mismatch");
    }
    int length = (body[3] & 0xFF) | (body[4] & 0xFF) << 8;
    if (length + Protocol.HEADER_BYTES + Protocol.TRAILER_BYTES != n) {
      return new Bad("length field " + length + " does not match " + n + " bytes");
    }
    return new Good(new Frame(body[0] & 0xFF, body[1] & 0xFF, body[2] & 0xFF,
        Arrays.copyOfRange(body, Protocol.HEADER_BYTES, n - 4)));
  }
}
