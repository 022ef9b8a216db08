package io.tinyforge.board;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** Host side of firmware/platform/tests/echo_app.c (protocol described there). */
final class EchoProtocol {
    private static final Duration REPLY = Duration.ofSeconds(20);
    private final PtyPort port;

    EchoProtocol(PtyPort port) {
        this.port = port;
    }

    /** Pings until the app greets; QEMU drops target output until our reader is attached. */
    String handshake(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            port.write("?");
            Optional<String> line = port.readLine(Duration.ofMillis(100));
            while (line.isPresent()) {
                if (line.get().startsWith("HELLO")) {
                    return line.get();
                }
                line = port.readLine(Duration.ofMillis(10));
            }
        }
        throw new AssertionError("no HELLO from the firmware within " + timeout.toSeconds() + " s");
    }

    byte[] echo(byte[] payload) {
        if (payload.length > 255) {
            throw new IllegalArgumentException("at most 255 bytes per echo");
        }
        byte[] cmd = new byte[payload.length + 2];
        cmd[0] = 'E';
        cmd[1] = (byte) payload.length;
        System.arraycopy(payload, 0, cmd, 2, payload.length);
        port.write(cmd);
        byte[] reply = port.readExactly(5 + payload.length + 1, REPLY);
        String prefix = new String(reply, 0, 5, StandardCharsets.ISO_8859_1);
        if (!prefix.equals("ECHO ") || reply[reply.length - 1] != '\n') {
            throw new AssertionError("unexpected echo framing: " + Arrays.toString(reply));
        }
        return Arrays.copyOfRange(reply, 5, reply.length - 1);
    }

    /** Runs the known loop of 2n instructions; returns {value, unit}. */
    String[] count(int n) {
        port.write(new byte[] {'C', (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        String line = port.expectLine(REPLY);
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[0].equals("COUNT")) {
            throw new AssertionError("unexpected count reply: " + line);
        }
        return new String[] {parts[1], parts[2]};
    }

    /** Float/double (and MVE) arithmetic on the target: faults if the FPU was not enabled. */
    String math() {
        port.write("M");
        return port.expectLine(REPLY);
    }

    String fault() {
        port.write("F");
        String line = port.expectLine(REPLY);
        while (line.isBlank()) {
            line = port.expectLine(REPLY);
        }
        return line.strip();
    }

    /** Asks the app to exit; acknowledges its BYE so that it exits only after we have read it. */
    String exit(int status) {
        port.write(new byte[] {'X', (byte) status});
        String bye = port.expectLine(REPLY);
        port.write("!");
        return bye;
    }
}
