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

/** Writes the board's C firmware project for the model: {@code gen-firmware --board B model.tflite -o OUT}. */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends TinyforgeMojo {
    /** The int8 .tflite model. */
    @Parameter(property = "tinyforge.model", required = true)
    File model;

    /**
     * Write into an output directory that holds files tinyforge did not write (they are left as they are) and
     * overwrite generated files that were edited there.
     */
    @Parameter(property = "tinyforge.force", defaultValue = "false")
    boolean force;

    @Override
    void applyCommandLine() {
        super.applyCommandLine();
        commandLine("tinyforge.model").ifPresent(m -> model = new File(m));
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (!Files.isRegularFile(model.toPath())) {
            throw new MojoExecutionException("model " + model + " does not exist; set <model> to the .tflite file");
        }
        List<String> args = new ArrayList<>(List.of("--board", board, model.getAbsolutePath(), "-o",
                outputPath().toString()));
        if (force) {
            args.add("--force");
        }
        GenFirmwareCall.run(home(), args, getLog());
    }
}
