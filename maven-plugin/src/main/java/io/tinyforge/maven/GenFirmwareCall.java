package io.tinyforge.maven;

import io.tinyforge.cli.GenFirmware;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * Runs the {@code gen-firmware} command line in this JVM ({@link GenFirmware#run}, the stable entry point):
 * stdout goes to the Maven log as info, stderr as warnings, and a non-zero exit code becomes a Maven failure
 * carrying the CLI's one-line {@code error: ...} message.
 */
final class GenFirmwareCall {
    /** The CLI finds the installation through this system property (as the gen-firmware launcher sets it). */
    private static final Object ROOT_PROPERTY_LOCK = new Object();

    private GenFirmwareCall() {
    }

    static void run(Path home, List<String> args, Log log) throws MojoExecutionException, MojoFailureException {
        log.info("gen-firmware " + String.join(" ", args));
        LogWriter out = new LogWriter(log::info);
        LogWriter err = new LogWriter(line -> {
            if (!line.startsWith("error: ")) {
                log.warn(line);
            }
        });
        int exitCode;
        synchronized (ROOT_PROPERTY_LOCK) {
            String before = System.getProperty(TinyforgeHome.PROPERTY);
            System.setProperty(TinyforgeHome.PROPERTY, home.toString());
            try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
                exitCode = GenFirmware.run(args.toArray(String[]::new), o, e);
            } finally {
                if (before == null) {
                    System.clearProperty(TinyforgeHome.PROPERTY);
                } else {
                    System.setProperty(TinyforgeHome.PROPERTY, before);
                }
            }
        }
        if (exitCode != 0) {
            Failures.fail(exitCode, errorMessage(err.lines(), exitCode));
        }
    }

    /** The CLI's {@code error: } line without the prefix, else its first stderr line (picocli's usage errors). */
    static String errorMessage(List<String> stderr, int exitCode) {
        for (String line : stderr) {
            if (line.startsWith("error: ")) {
                return line.substring("error: ".length());
            }
        }
        for (String line : stderr) {
            if (!line.isBlank()) {
                return "gen-firmware failed (exit " + exitCode + "): " + line.strip();
            }
        }
        return "gen-firmware failed (exit " + exitCode + ")";
    }
}
