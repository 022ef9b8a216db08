package io.tinyforge.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same echo app built with the host gcc, talking over stdin/stdout. */
class HostBoardTest {

    @Test
    void echoAppRunsOnTheHost() throws IOException, InterruptedException {
        Board host = BoardTestSupport.board("host");
        Path exe = BoardTestSupport.echoApp(host);
        assertTrue(Files.isExecutable(exe), exe.toString());

        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.write('?');
        byte[] payload = new byte[256 - 1];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i + 1);
        }
        script.write('E');
        script.write(payload.length);
        script.write(payload);
        script.write('M');
        script.write(new byte[] {'C', (byte) 0xA0, (byte) 0x86, 0x01, 0x00}); // 100000
        script.write(new byte[] {'X', 9});

        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.toByteArray());
        }
        byte[] out;
        try (InputStream stdout = p.getInputStream()) {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "host echo app did not finish");
            out = stdout.readAllBytes();
        } finally {
            p.destroyForcibly();
        }
        assertEquals(9, p.exitValue());

        String hello = "HELLO host ns\n";
        assertEquals(hello, new String(out, 0, hello.length(), StandardCharsets.ISO_8859_1));
        int at = hello.length();
        assertEquals("ECHO ", new String(out, at, 5, StandardCharsets.ISO_8859_1));
        assertArrayEquals(payload, Arrays.copyOfRange(out, at + 5, at + 5 + payload.length));
        String rest = new String(out, at + 5 + payload.length, out.length - at - 5 - payload.length, StandardCharsets.ISO_8859_1);
        assertTrue(rest.matches("\nMATH 637 112 scalar\nCOUNT \\d+ ns\nBYE\n"), rest);
    }
}
