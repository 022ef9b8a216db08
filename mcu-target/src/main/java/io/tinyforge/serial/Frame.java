package io.tinyforge.serial;

import io.tinyforge.serial.protocol.Protocol;

/** One decoded frame: header fields and payload. */
public record Frame(int version, int type, int seq, byte[] payload) {

  /** The wire bytes of a frame of the current protocol version: 0x00, COBS(header, payload, crc32), 0x00. */
  public static byte[] encode(int type, int seq, byte[] payload) {
    return encode(Protocol.VERSION, type, seq, payload);
  }

  /** As {@link #encode(int, int, byte[])} with an explicit version byte (tests send wrong versions). */
  public static byte[] encode(int version, int type, int seq, byte[] payload) {
    if (payload.length > Protocol.MAX_PAYLOAD) {
      throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + Protocol.MAX_PAYLOAD);
    }
    int n = Protocol.HEADER_BYTES + payload.length;
    byte[] body = new byte[n + Protocol.TRAILER_BYTES];
    body[0] = (byte) version;
    body[1] = (byte) type;
    body[2] = (byte) seq;
    body[3] = (byte) payload.length;
    body[4] = (byte) (payload.length >>> 8);
    System.arraycopy(payload, 0, body, Protocol.HEADER_BYTES, payload.length);
    int crc = Protocol.crc32(body, 0, n);
    for (int i = 0; i < 4; i++) {
      body[n + i] = (byte) (crc >>> (8 * i));
    }
    byte[] cobs = Cobs.encode(body, 0, body.length);
    byte[] wire = new byte[cobs.length + 2];
    System.arraycopy(cobs, 0, wire, 1, cobs.length);
    return wire;
  }

  @Override
  public String toString() {
    return Protocol.messageName(type) + "#" + seq + "(" + payload.length + " bytes)";
  }
}
