package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class GenFirmwareCallTest {

    @Test
    void errorLineWinsOverOtherOutput() {
        assertEquals("unknown board 'x'; known boards: a, b",
                GenFirmwareCall.errorMessage(List.of("warning: slow", "error: unknown board 'x'; known boards: a, b"), 2));
    }

    @Test
    void usageErrorsUseTheirFirstLine() {
        assertEquals("gen-firmware failed (exit 2): Unknown option: '--nope'",
                GenFirmwareCall.errorMessage(List.of("", "Unknown option: '--nope'", "Usage: gen-firmware ..."), 2));
        assertEquals("gen-firmware failed (exit 3)", GenFirmwareCall.errorMessage(List.of(), 3));
    }

    @Test
    void logWriterHandsOverCompleteLines() throws Exception {
        List<String> seen = new ArrayList<>();
        LogWriter w = new LogWriter(seen::add);
        w.write("one\r\ntw");
        assertEquals(List.of("one"), seen);
        w.write("o\nthree");
        w.close();
        assertEquals(List.of("one", "two", "three"), seen);
        assertEquals(seen, w.lines());
    }

    @Test
    void badModelBecomesAnExecutionErrorWithTheCliMessage() throws Exception {
        Path notAModel = Files.createTempFile("not-a-model", ".tflite");
        try {
            Files.writeString(notAModel, "this is not a flatbuffer");
            MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> GenFirmwareCall.run(
                    ReactorRepository.repoRoot(), List.of("inspect", notAModel.toString()), new SystemStreamLog()));
            assertTrue(e.getMessage().contains(notAModel.getFileName().toString()), e.getMessage());
            assertTrue(e.getCause() == null, "no cause: Maven would print its stack trace with -e");
        } finally {
            Files.delete(notAModel);
        }
    }

    @Test
    void errorsNameThePluginParametersNotTheCliOptions() {
        assertEquals("<flashFirst> needs <port>: the serial port the board answers on after flashing",
                GenFirmwareCall.inPluginTerms("--flash needs --port DEV: the serial port the board answers on after flashing"));
        assertEquals("board x is a real board: pass <port> and <flashFirst>true</flashFirst> (or ...)",
                GenFirmwareCall.inPluginTerms("board x is a real board: pass --port DEV --flash (or ...)"));
        assertEquals("/a/b has files tinyforge did not write; choose an empty or new folder for <cacheDirectory>",
                GenFirmwareCall.inPluginTerms("/a/b has files tinyforge did not write; choose an empty or new folder for --cache-dir"));
        assertEquals("out has files tinyforge did not write; choose an empty folder or pass <force>",
                GenFirmwareCall.inPluginTerms("out has files tinyforge did not write; choose an empty folder or pass --force"));
        assertEquals("model no-such--force.tflite does not exist",
                GenFirmwareCall.inPluginTerms("model no-such--force.tflite does not exist"), "only whole options");
    }
}
