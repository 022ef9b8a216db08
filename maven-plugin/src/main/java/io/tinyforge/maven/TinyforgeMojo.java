package io.tinyforge.maven;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.BoardRegistry;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every tinyforge goal shares: the board, the generated project's folder, the installation, and the
 * mapping of tinyforge's one-line errors onto Maven's two failure kinds (no stack traces: the causes are not
 * attached, the messages already name the thing and the fix).
 */
abstract class TinyforgeMojo extends AbstractMojo {
    /** Target board, a folder name under boards/ of the installation (e.g. qemu-mps2-an500, teensy41). */
    @Parameter(property = "tinyforge.board", required = true)
    String board;

    /** Folder of the generated C project (generate writes it, build makes it, flash takes the image from it). */
    @Parameter(property = "tinyforge.outputDirectory", defaultValue = "${project.build.directory}/tinyforge")
    File outputDirectory;

    /** The tinyforge installation; default: -Dtinyforge.root, else the environment variable TINYFORGE_HOME. */
    @Parameter(property = TinyforgeHome.PROPERTY)
    String tinyforgeHome;

    /** Maven's -D properties of this run: they override the POM here (Maven itself lets a POM value win). */
    @Parameter(defaultValue = "${session.userProperties}", readonly = true)
    Properties commandLineProperties;

    /** Skips the goal. */
    @Parameter(property = "tinyforge.skip", defaultValue = "false")
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("tinyforge: skipped (tinyforge.skip)");
            return;
        }
        applyCommandLine();
        try {
            run();
        } catch (TinyforgeException e) {
            Failures.fail(e.exitCode(), e.getMessage());
        } catch (BoardException e) {
            throw new MojoExecutionException(e.getMessage());
        }
    }

    /**
     * Takes -Dtinyforge.* values given on the command line over the POM's: {@code mvn tinyforge:flash
     * -Dtinyforge.board=teensy41} must flash a Teensy even where the POM says {@code <board>}.
     */
    void applyCommandLine() {
        board = commandLine("tinyforge.board").orElse(board);
        commandLine("tinyforge.outputDirectory").ifPresent(d -> outputDirectory = new File(d));
    }

    /** The value of {@code -Dproperty=...} on this Maven run's command line, if given. */
    Optional<String> commandLine(String property) {
        return commandLineProperties == null ? Optional.empty()
                : Optional.ofNullable(commandLineProperties.getProperty(property));
    }

    /** The goal itself; tinyforge and board exceptions it lets through become Maven failures in {@link #execute}. */
    abstract void run() throws MojoExecutionException, MojoFailureException;

    Path home() throws MojoExecutionException {
        return TinyforgeHome.resolve(tinyforgeHome, System.getenv());
    }

    Board targetBoard() throws MojoExecutionException {
        return BoardRegistry.load(home()).get(board);
    }

    Path outputPath() {
        return outputDirectory.toPath().toAbsolutePath().normalize();
    }
}
