package io.tinyforge.maven;

import io.tinyforge.TinyforgeException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * tinyforge exit codes to Maven: 1 (the checked thing failed: a mismatch, a firmware that exits non-zero) is a
 * {@link MojoFailureException}, everything else (bad input, missing tools) a {@link MojoExecutionException}.
 */
final class Failures {
    private Failures() {
    }

    /** Always throws: the exception kind the exit code stands for, with {@code message} and no cause. */
    static void fail(int exitCode, String message) throws MojoExecutionException, MojoFailureException {
        if (exitCode == TinyforgeException.EXIT_CHECK_FAILED) {
            throw new MojoFailureException(message);
        }
        throw new MojoExecutionException(message);
    }
}
