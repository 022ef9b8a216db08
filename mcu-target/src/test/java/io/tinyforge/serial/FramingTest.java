package io.tinyforge.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.serial.protocol.GetOutputReply;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.serial.protocol.Invoke;
import io.tinyforge.serial.protocol.MalformedPayloadException;
import io.tinyforge.serial.protocol.Messages;
import io.tinyforge.serial.protocol.Protocol;
import io.tinyforge.serial.protocol.SetInput;
import io.tinyforge.serial.protocol.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The generated Java protocol code and the framing, against independent references. */
class FramingTest {

  @Test
  void cobsRoundTripsAndNeverEmitsZero() {
    Random rnd = new Random(1);
    int[] lengths = {0, 1, 2, 253, 254, 255, 256, 508, 509, 1100};
    for (int len : lengths) {
      for (int density : new int[] {0, 1, 10, 256}) {
        byte[] data = new byte[len];
        for (int i = 0; i < len; i++) {
          data[i] = density > 0 && rnd.nextInt(density) == 0 ? 0 : (byte) (1 + rnd.nextInt(255));
        }
        byte[] enc = Cobs.encode(data, 0, len);
        for (byte b : enc) {
          assertTrue(b != 0, "COBS output contains 0x00 (len " + len + ")");
        }
        assertTrue(enc.length <= len + len / 254 + 1);
        assertArrayEquals(data, Cobs.decode(enc, 0, enc.length).orElseThrow(), "len " + len);
      }
    }
    assertEquals(Optional.empty(), Cobs.decode(new byte[] {5, 1, 2}, 0, 3), "code past the end");
    assertEquals(Optional.empty(), Cobs.decode(new byte[] {3, 0, 2}, 0, 3), "zero inside");
  }

  @Test
  void checksumsMatchPublishedValues() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xCBF43926, Protocol.crc32(check, 0, check.length), "CRC-32 check value");
    Random rnd = new Random(2);
    for (int i = 0; i < 50; i++) {
      byte[] d = new byte[rnd.nextInt(3000)];
      rnd.nextBytes(d);
      CRC32 zip = new CRC32();
      zip.update(d);
      assertEquals((int) zip.getValue(), Protocol.crc32(d, 0, d.length));
    }
    // FNV-1a 64 test vectors from the FNV reference (draft-eastlake-fnv)
    assertEquals(0xcbf29ce484222325L, Protocol.fnv1a64(new byte[0]));
    assertEquals(0xaf63dc4c8601ec8cL, Protocol.fnv1a64("a".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0x85944171f73967e8L, Protocol.fnv1a64("foobar".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void prngFollowsTheRecipeInProtocolJson() {
    // written from the prose of protocol.json, not from the generator
    for (int seed : new int[] {0, 1, 42, -1, 0x9E3779B9}) {
      for (int index = 0; index < 3; index++) {
        byte[] got = new byte[300];
        Protocol.prngFill(got, seed, index);
        int s = seed ^ (int) (0x9E3779B9L * (index + 1));
        if (s == 0) {
          s = 0x6D2B79F5;
        }
        for (int i = 0; i < got.length; i++) {
          s ^= s << 13;
          s ^= s >>> 17;
          s ^= s << 5;
          assertEquals((byte) (s >>> 24), got[i], "seed " + seed + " index " + index + " byte " + i);
        }
      }
    }
    byte[] a = new byte[64];
    byte[] b = new byte[64];
    Protocol.prngFill(a, 7, 0);
    Protocol.prngFill(b, 7, 1);
    assertTrue(!java.util.Arrays.equals(a, b), "inputs of one seed differ per index");
  }

  @Test
  void framesRoundTripAndTheDecoderResynchronises() {
    byte[] one = Frame.encode(SetInput.TYPE, 7, new SetInput(1, 40, new byte[] {0, 0, 5, 0}).encode());
    byte[] two = Frame.encode(Invoke.TYPE, 8, new Invoke(0xFFFF, 0).encode());
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(new byte[] {0x41, 0x42, 0x43, 0x00, 0x7F}); // garbage, a delimiter, garbage
    wire.writeBytes(one);
    wire.writeBytes(java.util.Arrays.copyOf(two, two.length - 5)); // truncated frame
    byte[] damaged = one.clone();
    damaged[4] ^= 0x10;
    wire.writeBytes(damaged);
    wire.writeBytes(two);
    FrameDecoder d = new FrameDecoder();
    List<FrameDecoder.Result> results = new ArrayList<>();
    for (byte b : wire.toByteArray()) {
      d.push(b).ifPresent(results::add);
    }
    List<Frame> good = results.stream().filter(r -> r instanceof FrameDecoder.Good)
        .map(r -> ((FrameDecoder.Good) r).frame()).toList();
    assertEquals(2, good.size(), results.toString());
    assertEquals(7, good.get(0).seq());
    assertEquals(new SetInput(1, 40, new byte[] {0, 0, 5, 0}), Messages.decode(good.get(0).type(),
        good.get(0).payload()));
    assertEquals(8, good.get(1).seq());
    assertEquals(Invoke.TYPE, good.get(1).type());
    assertTrue(results.stream().filter(r -> r instanceof FrameDecoder.Bad).count() >= 2);
  }

  @Test
  void messagesRoundTripAndRejectWrongSizes() {
    HelloReply h = new HelloReply(Protocol.VERSION, Protocol.FINGERPRINT, 1024, "qemu-mps2-an500", "abc123",
        "instructions", 123456, 40, 31, 1, 600_000_000L,
        List.of(new TensorInfo(0, 9, 9216, 0.007843138f, -1, List.of(1, 96, 96, 1))),
        List.of(new TensorInfo(87, 9, 2, 0.00390625f, -128, List.of(1, 2))));
    HelloReply back = (HelloReply) Messages.decode(HelloReply.TYPE, h.encode());
    assertEquals(h, back);
    assertEquals(List.of(1, 96, 96, 1), back.inputs.get(0).dims);

    byte[] payload = new GetOutputReply(0, 10, new byte[] {1, 2, 3}).encode();
    assertEquals(8, payload.length);
    assertThrows(MalformedPayloadException.class, () -> Messages.decode(Invoke.TYPE, new byte[] {1}));
    assertThrows(MalformedPayloadException.class, () -> Messages.decode(Invoke.TYPE, new byte[] {1, 2, 3, 4}));
    assertThrows(MalformedPayloadException.class, () -> Messages.decode(42, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new SetInput(256, 0, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new SetInput(0, -1, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Frame.encode(SetInput.TYPE, 1,
        new byte[Protocol.MAX_PAYLOAD + 1]));
    assertInstanceOf(Invoke.class, Messages.decode(Invoke.TYPE, new Invoke(3, 1).encode()));
  }
}
