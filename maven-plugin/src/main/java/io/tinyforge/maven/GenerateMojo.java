package io.tinyforge.maven;

import java.io.File;
import java.nio.file.Files;
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

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (!Files.isRegularFile(model.toPath())) {
            throw new MojoExecutionException("model " + model + " does not exist; set <model> to the .tflite file");
        }
        GenFirmwareCall.run(home(), List.of("--board", board, model.getAbsolutePath(), "-o", outputPath().toString()),
                getLog());
    }
}
