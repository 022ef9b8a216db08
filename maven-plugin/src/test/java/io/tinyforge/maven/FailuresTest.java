package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void failedCheckIsABuildFailure() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> Failures.fail(1, "output 0 differs"));
        assertEquals("output 0 differs", e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void badInputAndEnvironmentAreExecutionErrors() {
        assertEquals("bad model", assertThrows(MojoExecutionException.class, () -> Failures.fail(2, "bad model")).getMessage());
        assertEquals("no qemu", assertThrows(MojoExecutionException.class, () -> Failures.fail(3, "no qemu")).getMessage());
    }
}
