package io.tinyforge.serial;

import io.tinyforge.serial.protocol.ErrorMessage;
import io.tinyforge.serial.protocol.GenInput;
import io.tinyforge.serial.protocol.GenInputReply;
import io.tinyforge.serial.protocol.GetOpCounts;
import io.tinyforge.serial.protocol.GetOpCountsReply;
import io.tinyforge.serial.protocol.GetOpHashes;
import io.tinyforge.serial.protocol.GetOpHashesReply;
import io.tinyforge.serial.protocol.GetOutput;
import io.tinyforge.serial.protocol.GetOutputHash;
import io.tinyforge.serial.protocol.GetOutputHashReply;
import io.tinyforge.serial.protocol.GetOutputReply;
import io.tinyforge.serial.protocol.GetTensor;
import io.tinyforge.serial.protocol.GetTensorHash;
import io.tinyforge.serial.protocol.GetTensorHashReply;
import io.tinyforge.serial.protocol.GetTensorReply;
import io.tinyforge.serial.protocol.Hello;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.serial.protocol.Invoke;
import io.tinyforge.serial.protocol.InvokeReply;
import io.tinyforge.serial.protocol.MalformedPayloadException;
import io.tinyforge.serial.protocol.Messages;
import io.tinyforge.serial.protocol.Protocol;
import io.tinyforge.serial.protocol.ProtocolMessage;
import io.tinyforge.serial.protocol.Reset;
import io.tinyforge.serial.protocol.ResetReply;
import io.tinyforge.serial.protocol.SetInput;
import io.tinyforge.serial.protocol.SetInputReply;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The host end of the verification protocol: typed requests to a target over a {@link Transport}, with sequence
 * numbers, resends and bounded waits. Every request is idempotent and the target answers a repeated frame from its
 * reply cache, so resending after a lost or damaged frame is always safe; replies to an older sequence number are
 * dropped. Nothing here can hang: each call ends in a reply or a one-line {@link TargetException}.
 */
public final class TargetSession implements AutoCloseable {
  private static final int SLICE_MS = 25;

  private final Transport transport;
  private final SessionOptions options;
  private final Supplier<Optional<String>> deathCheck;
  private final FrameDecoder decoder = new FrameDecoder();
  private final byte[] readBuf = new byte[4096];
  private int seq;
  private int maxPayload = Protocol.MAX_PAYLOAD;
  private HelloReply hello;
  private long resends;
  private long badFrames;

  /**
   * @param deathCheck says why the target is gone (e.g. "QEMU exited with status 1") or empty while it runs;
   *     checked while waiting so a dead target fails at once instead of after the timeouts
   */
  public TargetSession(Transport transport, SessionOptions options, Supplier<Optional<String>> deathCheck) {
    this.transport = transport;
    this.options = options;
    this.deathCheck = deathCheck;
    this.seq = (int) (System.nanoTime() & 0x7F); // a fresh number so replies to an earlier session are not ours
  }

  public TargetSession(Transport transport, SessionOptions options) {
    this(transport, options, Optional::empty);
  }

  /** Resends so far (each is a lost, damaged or late reply the session recovered from). */
  public long resends() {
    return resends;
  }

  /** Damaged blocks received so far. */
  public long badFrames() {
    return badFrames;
  }

  /** The answer to the first HELLO, or null before {@link #hello()}. */
  public HelloReply target() {
    return hello;
  }

  /**
   * Pings with HELLO until the target answers (a pty drops what is sent before its reader attaches, and a target
   * may still be booting), then checks the protocol version and fingerprint.
   */
  public HelloReply hello() {
    long deadline = System.nanoTime() + options.helloTimeout().toNanos();
    int s = nextSeq();
    byte[] wire = Frame.encode(Hello.TYPE, s, new Hello().encode());
    Duration ping = Duration.ofMillis(Math.min(250, Math.max(50, options.replyTimeout().toMillis())));
    while (true) {
      send(wire, "HELLO");
      Optional<HelloReply> r = awaitReply(s, HelloReply.TYPE, HelloReply::decode, ping, "HELLO");
      if (r.isPresent()) {
        hello = r.get();
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new TargetException(TargetException.Kind.TIMEOUT, "no answer to HELLO from " + transport.describe()
            + " within " + seconds(options.helloTimeout()) + " (is the verification firmware running there?)");
      }
    }
    if (hello.protocolVersion != Protocol.VERSION) {
      throw new TargetException(TargetException.Kind.PROTOCOL, "target speaks protocol v" + hello.protocolVersion
          + ", this host v" + Protocol.VERSION + "; rebuild the firmware");
    }
    if (hello.fingerprint != Protocol.FINGERPRINT) {
      throw new TargetException(TargetException.Kind.PROTOCOL, String.format(Locale.ROOT,
          "target firmware was built from another protocol.json (fingerprint %08x, host %08x); rebuild the firmware",
          hello.fingerprint, Protocol.FINGERPRINT));
    }
    maxPayload = Math.min(Protocol.MAX_PAYLOAD, hello.maxPayload);
    return hello;
  }

  /** Writes a whole input, chunked to the target's payload limit. */
  public void setInput(int index, byte[] data) {
    setInput(index, data, (done, total) -> {});
  }

  /** Called after every acknowledged chunk of a long transfer with the bytes done so far and the total. */
  @FunctionalInterface
  public interface Progress {
    void update(int done, int total);
  }

  /**
   * As {@link #setInput(int, byte[])}, reporting after every chunk (a 300 KB image input crosses a 115200-baud UART
   * in tens of seconds, in about 300 chunks).
   */
  public void setInput(int index, byte[] data, Progress progress) {
    int chunk = maxPayload - 5;
    for (int off = 0; off < data.length; off += chunk) {
      byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk));
      SetInputReply r = request(new SetInput(index, off, part), SetInputReply.TYPE, SetInputReply::decode,
          options.replyTimeout());
      if (r.index != index || r.offset != off || r.length != part.length) {
        throw protocolError("SET_INPUT", "acknowledged " + r + " for index " + index + " offset " + off);
      }
      progress.update(off + part.length, data.length);
    }
  }

  /** Makes the target fill input {@code index} from {@code seed} with the shared PRNG. */
  public GenInputReply genInput(int index, int seed) {
    return request(new GenInput(index, seed & 0xFFFFFFFFL), GenInputReply.TYPE, GenInputReply::decode,
        options.replyTimeout());
  }

  /**
   * Starts a new sequence on the target: its state (variable) tensors go back to their start value. Returns the
   * bytes of state reset (0 for a stateless model).
   */
  public long reset() {
    return request(new Reset(), ResetReply.TYPE, ResetReply::decode, options.replyTimeout()).stateBytes;
  }

  /** Value of INVOKE's untilOp that runs the whole model. */
  public static final int ALL_OPS = 0xFFFF;

  /** Runs the model once; the reply holds the status and the counter value. */
  public InvokeReply invoke() {
    return invoke(ALL_OPS, false);
  }

  /**
   * Runs the model up to and including operator {@code untilOp} ({@link #ALL_OPS}: all of it), recording each
   * operator's output hash when {@code hashOps}. Needs a model built with the per-op hook for anything but a plain
   * run.
   */
  public InvokeReply invoke(int untilOp, boolean hashOps) {
    return request(new Invoke(untilOp, hashOps ? 1 : 0), InvokeReply.TYPE, InvokeReply::decode,
        options.invokeTimeout());
  }

  /** Output hashes of operators [0, opCount) recorded by the last {@code invoke(.., true)}; 0 = not recorded. */
  public long[] opHashes(int opCount) {
    long[] out = new long[opCount];
    int first = 0;
    while (first < opCount) {
      GetOpHashesReply r = request(new GetOpHashes(first, Math.min(255, opCount - first)), GetOpHashesReply.TYPE,
          GetOpHashesReply::decode, options.replyTimeout());
      if (r.first != first || r.hashes.isEmpty()) {
        throw protocolError("GET_OP_HASHES", "answered " + r + " for operator " + first);
      }
      for (int i = 0; i < r.hashes.size() && first + i < opCount; i++) {
        out[first + i] = r.hashes.get(i);
      }
      first += r.hashes.size();
    }
    return out;
  }

  /** Value of {@link #opCounts} for an operator whose hook did not run in the last INVOKE. */
  public static final long NOT_RUN = 0xFFFFFFFFL;

  /**
   * Per-operator counter advances of operators [0, opCount) recorded by the last INVOKE, in HELLO's counter unit
   * ({@link #NOT_RUN}: the operator's hook did not run). Needs firmware built with per-op counters (TF_PROFILE_OPS).
   */
  public long[] opCounts(int opCount) {
    long[] out = new long[opCount];
    int first = 0;
    while (first < opCount) {
      GetOpCountsReply r = request(new GetOpCounts(first, Math.min(255, opCount - first)), GetOpCountsReply.TYPE,
          GetOpCountsReply::decode, options.replyTimeout());
      if (r.first != first || r.counts.isEmpty()) {
        throw protocolError("GET_OP_COUNTS", "answered " + r + " for operator " + first);
      }
      for (int i = 0; i < r.counts.size() && first + i < opCount; i++) {
        out[first + i] = r.counts.get(i);
      }
      first += r.counts.size();
    }
    return out;
  }

  /** FNV-1a 64 of every output, in output order. */
  public List<Long> outputHashes() {
    return request(new GetOutputHash(), GetOutputHashReply.TYPE, GetOutputHashReply::decode,
        options.replyTimeout()).hashes;
  }

  /** The bytes of output {@code index}, whose size is {@code size}. */
  public byte[] getOutput(int index, int size) {
    byte[] out = new byte[size];
    int chunk = maxPayload - 5;
    for (int off = 0; off < size; off += chunk) {
      int len = Math.min(chunk, size - off);
      GetOutputReply r = request(new GetOutput(index, off, len), GetOutputReply.TYPE, GetOutputReply::decode,
          options.replyTimeout());
      if (r.index != index || r.offset != off || r.data.length != len) {
        throw protocolError("GET_OUTPUT", "answered " + r + " for index " + index + " offset " + off);
      }
      System.arraycopy(r.data, 0, out, off, len);
    }
    return out;
  }

  /** The bytes of any tensor (intermediates too) after INVOKE. */
  public byte[] getTensor(int tensor) {
    int chunk = maxPayload - 10;
    byte[] out = null;
    int off = 0;
    do {
      GetTensorReply r = request(new GetTensor(tensor, off, chunk), GetTensorReply.TYPE, GetTensorReply::decode,
          options.replyTimeout());
      if (out == null) {
        out = new byte[(int) r.size];
      }
      int expected = Math.min(chunk, out.length - off);
      if (r.tensor != tensor || r.offset != off || r.data.length != expected || r.size != out.length) {
        throw protocolError("GET_TENSOR", "answered " + r + " for tensor " + tensor + " offset " + off);
      }
      System.arraycopy(r.data, 0, out, off, expected);
      off += expected;
    } while (off < out.length);
    return out;
  }

  /** Size and FNV-1a 64 of any tensor after INVOKE. */
  public GetTensorHashReply tensorHash(int tensor) {
    return request(new GetTensorHash(tensor), GetTensorHashReply.TYPE, GetTensorHashReply::decode,
        options.replyTimeout());
  }

  /** Functional decoding of a reply payload. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(byte[] payload);
  }

  /**
   * Sends {@code req} and waits for its reply, resending after a timeout or a damaged frame. An ordinary request may
   * take {@code attempts} waits of {@code timeout} in total (damage cuts a wait short, so more tries fit in); a long
   * one (INVOKE) doubles the wait per try until {@code timeout} has passed, because resending to a busy target is
   * harmless but wasteful. Either way the call ends within its bound.
   */
  <T extends ProtocolMessage> T request(ProtocolMessage req, int replyType, Decoder<T> decode, Duration timeout) {
    String name = Protocol.messageName(req.type());
    int s = nextSeq();
    byte[] wire = Frame.encode(req.type(), s, req.encode());
    Duration transfer = Duration.ofMillis(1000L * wire.length / options.bytesPerSecond());
    boolean longRequest = timeout.compareTo(options.replyTimeout()) > 0;
    long start = System.nanoTime();
    long total = longRequest ? timeout.toNanos() : (long) options.attempts() * (timeout.toNanos() + transfer.toNanos());
    int maxTries = options.attempts() * 4;
    Duration wait = (longRequest ? options.replyTimeout() : timeout).plus(transfer);
    int attempt = 0;
    while (true) {
      attempt++;
      if (attempt > 1) {
        resends++;
      }
      send(wire, name);
      Optional<T> r = awaitReply(s, replyType, decode, wait, name);
      if (r.isPresent()) {
        return r.get();
      }
      long elapsed = System.nanoTime() - start;
      if (elapsed >= total || attempt >= maxTries) {
        throw new TargetException(TargetException.Kind.TIMEOUT, "target on " + transport.describe()
            + " stopped answering: no valid reply to " + name + " after " + attempt + " attempts in "
            + seconds(Duration.ofNanos(elapsed)));
      }
      long left = total - elapsed;
      wait = Duration.ofNanos(Math.min(longRequest ? wait.toNanos() * 2 : wait.toNanos(), left));
    }
  }

  /**
   * Reads until the reply with sequence number {@code s} arrives (returned), the wait is over, or a damaged frame or
   * a BAD_FRAME error says the exchange was hit by noise (both empty: the caller resends).
   */
  private <T> Optional<T> awaitReply(int s, int replyType, Decoder<T> decode, Duration wait, String name) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (leftMs <= 0) {
        decoder.reset();
        return Optional.empty();
      }
      int n = transport.read(readBuf, (int) Math.min(SLICE_MS, leftMs));
      if (n < 0) {
        String why = deathCheck.get().orElse("the other side closed the link");
        throw new TargetException(TargetException.Kind.CLOSED, "lost the target on " + transport.describe()
            + " while waiting for the reply to " + name + ": " + why);
      }
      if (n == 0) {
        Optional<String> dead = deathCheck.get();
        if (dead.isPresent()) {
          throw new TargetException(TargetException.Kind.CLOSED, "lost the target on " + transport.describe()
              + " while waiting for the reply to " + name + ": " + dead.get());
        }
        continue;
      }
      boolean resendNow = false;
      for (int i = 0; i < n; i++) {
        Optional<FrameDecoder.Result> res = decoder.push(readBuf[i]);
        if (res.isEmpty()) {
          continue;
        }
        if (res.get() instanceof FrameDecoder.Bad) {
          badFrames++;
          resendNow = true; // most likely our reply, damaged: ask again rather than wait
          continue;
        }
        Frame f = ((FrameDecoder.Good) res.get()).frame();
        if (f.version() != Protocol.VERSION) {
          throw new TargetException(TargetException.Kind.PROTOCOL, "target on " + transport.describe()
              + " speaks protocol v" + f.version() + ", this host v" + Protocol.VERSION + "; rebuild the firmware");
        }
        if (f.type() == ErrorMessage.TYPE) {
          ErrorMessage e = decodeError(f);
          if (e == null || e.code == Protocol.ERR_BAD_FRAME) {
            resendNow = true; // the target saw our request damaged
            continue;
          }
          if (f.seq() != s) {
            continue; // an error about an older request
          }
          throw new TargetException(TargetException.Kind.TARGET_ERROR, "target refused " + name + ": "
              + Protocol.errorName(e.code) + " (" + e.text + ")", e.code);
        }
        if (f.seq() != s) {
          continue; // a late or duplicated reply to an earlier request
        }
        if (f.type() != replyType) {
          badFrames++;
          resendNow = true;
          continue;
        }
        try {
          T reply = decode.decode(f.payload());
          decoder.reset();
          return Optional.of(reply);
        } catch (MalformedPayloadException e) {
          throw protocolError(name, "sent a malformed reply (" + e.getMessage() + ")");
        }
      }
      if (resendNow) {
        // No decoder reset here: the bad frame ended at a delimiter, so the decoder is at a frame boundary, and
        // bytes after it in this read are the start of the next frame (often the good reply): dropping them turned
        // that reply into another bad frame, and on a noisy link into a chain of resends that never ended.
        return Optional.empty();
      }
    }
  }

  private void send(byte[] wire, String name) {
    try {
      transport.write(wire);
    } catch (TargetException e) {
      if (e.kind() != TargetException.Kind.CLOSED) {
        throw e;
      }
      throw new TargetException(TargetException.Kind.CLOSED, "lost the target on " + transport.describe()
          + " while sending " + name + ": " + deathCheck.get().orElse(e.getMessage()));
    }
  }

  private static ErrorMessage decodeError(Frame f) {
    try {
      return (ErrorMessage) Messages.decode(f.type(), f.payload());
    } catch (MalformedPayloadException e) {
      return null;
    }
  }

  private TargetException protocolError(String name, String what) {
    return new TargetException(TargetException.Kind.PROTOCOL, "target on " + transport.describe() + " " + what
        + " (request " + name + ")");
  }

  private int nextSeq() {
    seq = (seq + 1) & 0xFF;
    return seq;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  @Override
  public void close() {
    transport.close();
  }
}
