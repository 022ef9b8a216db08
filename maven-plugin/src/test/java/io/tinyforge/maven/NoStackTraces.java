package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** A failing goal reports one line: no Java stack frames and no exception class names in Maven's output. */
final class NoStackTraces {
    private NoStackTraces() {
    }

    static void check(SampleProject.Run run) {
        assertFalse(run.output().lines().anyMatch(l -> l.strip().startsWith("at ") && l.contains("(")),
                "stack trace in " + run.log());
        assertFalse(run.output().contains("Exception:"), "exception class in the message, see " + run.log());
    }
}
