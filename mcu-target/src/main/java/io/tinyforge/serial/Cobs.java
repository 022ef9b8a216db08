package io.tinyforge.serial;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Consistent Overhead Byte Stuffing: removes every 0x00 from a block so 0x00 can delimit frames on the wire, at a
 * cost of one byte per 254. The target's copy of this algorithm is in templates/protocol/tf_protocol.c.ftl.
 */
public final class Cobs {
  private Cobs() {}

  /** The encoded block (no delimiters). */
  public static byte[] encode(byte[] data, int off, int len) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + len / 254 + 2);
    byte[] block = new byte[255];
    int blockLen = 1; // block[0] is reserved for the code
    for (int i = off; i < off + len; i++) {
      if (data[i] == 0) {
        block[0] = (byte) blockLen;
        out.write(block, 0, blockLen);
        blockLen = 1;
      } else {
        block[blockLen++] = data[i];
        if (blockLen == 255) {
          block[0] = (byte) 0xFF;
          out.write(block, 0, 255);
          blockLen = 1;
        }
      }
    }
    block[0] = (byte) blockLen;
    out.write(block, 0, blockLen);
    return out.toByteArray();
  }

  /** The decoded block, or empty when the block is not valid COBS (a zero byte or a code past the end). */
  public static Optional<byte[]> decode(byte[] enc, int off, int len) {
    byte[] out = new byte[len];
    int o = 0;
    int i = off;
    int end = off + len;
    while (i < end) {
      int code = enc[i++] & 0xFF;
      if (code == 0 || i + code - 1 > end) {
        return Optional.empty();
      }
      for (int k = 1; k < code; k++) {
        byte b = enc[i++];
        if (b == 0) {
          return Optional.empty();
        }
        out[o++] = b;
      }
      if (code != 0xFF && i < end) {
        out[o++] = 0;
      }
    }
    return Optional.of(java.util.Arrays.copyOf(out, o));
  }
}
