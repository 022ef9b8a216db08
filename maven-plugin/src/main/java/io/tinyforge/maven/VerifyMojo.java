package io.tinyforge.maven;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs the model's firmware on the board and compares every output with the bit-exact simulator:
 * {@code gen-firmware verify}. QEMU boards run in QEMU; a real board needs {@code <port>} and either its verification
 * firmware already flashed or {@code <flashFirst>true</flashFirst>}, which flashes it with the board's tool first. A mismatch fails the build (MojoFailureException); a missing tool, board or port is
 * an execution error.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends TinyforgeMojo {
    /** The int8 .tflite model. */
    @Parameter(property = "tinyforge.model", required = true)
    File model;

    /** Number of random input sets, generated on the target from seeds seed..seed+random-1 (CLI default 10). */
    @Parameter(property = "tinyforge.random")
    Integer random;

    /** First seed of the random inputs (CLI default 1); alone it means 10 random sets from this seed. */
    @Parameter(property = "tinyforge.seed")
    Integer seed;

    /** Folder of raw input files instead of random inputs (one .bin per set). */
    @Parameter(property = "tinyforge.inputs")
    File inputs;

    /** Serial port of a real board (e.g. /dev/ttyACM0); QEMU boards need none. */
    @Parameter(property = "tinyforge.port")
    String port;

    /** With a port: build the verification firmware and flash it with the board's tool first ({@code --flash}). */
    @Parameter(property = "tinyforge.flashFirst", defaultValue = "false")
    boolean flashFirst;

    /** Compare every operator's output on every input, not only after a mismatch. */
    @Parameter(property = "tinyforge.perLayer", defaultValue = "false")
    boolean perLayer;

    /** Longest one inference may take, in seconds (CLI default 120). */
    @Parameter(property = "tinyforge.verifyTimeoutSeconds")
    Integer timeoutSeconds;

    /** Where verification firmware builds are kept for reuse between runs. */
    @Parameter(property = "tinyforge.verifyCache", defaultValue = "${project.build.directory}/tinyforge-verify")
    File cacheDirectory;

    @Override
    void applyCommandLine() {
        super.applyCommandLine();
        commandLine("tinyforge.model").ifPresent(m -> model = new File(m));
        commandLine("tinyforge.port").ifPresent(p -> port = p);
        commandLine("tinyforge.flashFirst").ifPresent(f -> flashFirst = Boolean.parseBoolean(f));
        commandLine("tinyforge.random").ifPresent(r -> random = Integer.valueOf(r));
        commandLine("tinyforge.seed").ifPresent(r -> seed = Integer.valueOf(r));
        commandLine("tinyforge.inputs").ifPresent(i -> inputs = new File(i));
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (!Files.isRegularFile(model.toPath())) {
            throw new MojoExecutionException("model " + model + " does not exist; set <model> to the .tflite file");
        }
        if (inputs != null && (random != null || seed != null)) {
            throw new MojoExecutionException("<inputs> and <random>/<seed> exclude each other; set one of them");
        }
        GenFirmwareCall.run(home(), arguments(), getLog());
    }

    /** The gen-firmware verify command line for this configuration. */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("verify", "--board", board));
        if (random != null || seed != null) {
            args.addAll(List.of("--random", Integer.toString(random != null ? random : 10)));
            if (seed != null) {
                args.addAll(List.of("--seed", seed.toString()));
            }
        }
        if (inputs != null) {
            args.addAll(List.of("--inputs", inputs.getAbsolutePath()));
        }
        if (port != null && !port.isBlank()) {
            args.addAll(List.of("--port", port));
            if (flashFirst) {
                args.add("--flash");
            }
        }
        if (perLayer) {
            args.add("--per-layer");
        }
        if (timeoutSeconds != null) {
            args.addAll(List.of("--timeout", timeoutSeconds.toString()));
        }
        if (cacheDirectory != null) {
            args.addAll(List.of("--cache-dir", cacheDirectory.getAbsolutePath()));
        }
        args.add(model.getAbsolutePath());
        return args;
    }
}
