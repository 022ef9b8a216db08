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
            if (line.startsWith("warning: ")) {
                log.warn(line.substring("warning: ".length()));
            } else if (!line.startsWith("error: ")) {
                log.info(line);
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

    /** CLI options in the order they must be replaced (longer forms first), with the plugin parameter of each. */
    private static final String[][] PARAMETERS = {
        {"--port DEV --flash", "<port> and <flashFirst>true</flashFirst>"}, {"--port DEV", "<port>"}, {"--port", "<port>"}, {"--flash", "<flashFirst>"}, {"--board", "<board>"},
        {"--random", "<random>"}, {"--seed", "<seed>"}, {"--inputs", "<inputs>"}, {"--per-layer", "<perLayer>"},
        {"--timeout", "<timeoutSeconds>"}, {"--cache-dir", "<cacheDirectory>"}, {"--force", "<force>"},
        {"-o OUT", "<outputDirectory>"}, {"-o", "<outputDirectory>"},
        {"--build-only", "gen-firmware verify --build-only"}};

    /** An error of the CLI as a plugin user needs it: naming {@code <port>}, not {@code --port}. */
    static String inPluginTerms(String message) {
        String m = message;
        for (String[] p : PARAMETERS) {
            m = m.replaceAll("(?<![\\w-])" + java.util.regex.Pattern.quote(p[0]) + "(?![\\w-])",
                    java.util.regex.Matcher.quoteReplacement(p[1]));
        }
        return m;
    }

    /** The CLI's {@code error: } line without the prefix, else its first stderr line (picocli's usage errors). */
    static String errorMessage(List<String> stderr, int exitCode) {
        for (String line : stderr) {
            if (line.startsWith("error: ")) {
                return inPluginTerms(line.substring("error: ".length()));
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
