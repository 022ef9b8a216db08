package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code mvn tinyforge:verify} in the sample project: gen-firmware verify runs inside Maven. */
class VerifyGoalTest {

    @Test
    void realBoardWithoutPortIsAnExecutionErrorSayingWhatToPass() {
        SampleProject.Run run = SampleProject.create("verify-no-port").property("sample.board", "teensy41")
                .property("tinyforge.random", "2").run("tinyforge:verify");
        assertEquals(1, run.exitCode(), "Maven should fail, see " + run.log());
        NoStackTraces.check(run);
        String line = run.failureLine().orElseThrow(() -> new AssertionError("no failure line in " + run.log()));
        // named as the plugin user sets them: parameters, not the CLI's options
        assertTrue(line.endsWith(": board teensy41 is a real board: pass <port> and <flashFirst>true</flashFirst> (or "
                + "flash the image of gen-firmware verify --build-only yourself and pass <port>), or pick a qemu-* "
                + "board -> [Help 1]"), line);
        assertTrue(run.infoLines().stream().anyMatch(l -> l.startsWith("gen-firmware verify --board teensy41 --random 2 ")),
                "the verify command line is not logged, see " + run.log());
    }
}
