package io.tinyforge.maven;

import io.tinyforge.board.Board;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.ImageCheck;
import io.tinyforge.board.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the generated project with its Makefile (Arm boards: arm-none-eabi-gcc), then reports the image, its
 * flash and RAM use, and fails if the image does not suit the board (the checks QEMU and the boot ROM rely on).
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class BuildMojo extends TinyforgeMojo {
    /** The make program. */
    @Parameter(property = "tinyforge.make", defaultValue = "make")
    String make;

    /** Extra make arguments (targets, VAR=value). */
    @Parameter
    List<String> makeArguments = new ArrayList<>();

    /** make is stopped after this many seconds. */
    @Parameter(property = "tinyforge.buildTimeoutSeconds", defaultValue = "900")
    int buildTimeoutSeconds;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Board target = targetBoard();
        Path project = outputPath();
        if (!Files.isRegularFile(project.resolve("Makefile"))) {
            throw new MojoExecutionException("no Makefile in " + project + "; run the generate goal first");
        }
        List<String> command = new ArrayList<>();
        command.add(make);
        command.addAll(makeArguments);
        getLog().info("building " + project + ": " + String.join(" ", command));
        ExternalCommand.Result result = ExternalCommand.run(command, project, environment(),
                Duration.ofSeconds(buildTimeoutSeconds));
        result.lines().forEach(getLog()::debug);
        if (result.exitCode() != 0) {
            result.lastLines(20).forEach(getLog()::error);
            throw new MojoFailureException(make + " failed (exit " + result.exitCode() + ") building " + project + ": "
                    + result.firstErrorLine());
        }
        Path image = FirmwareImage.find(target, project, null);
        getLog().info("firmware image: " + image);
        if (!target.isHost()) {
            ElfFile elf = ElfFile.read(image);
            MemoryUsage.of(elf, target).describe().lines().forEach(getLog()::info);
            List<String> problems = ImageCheck.check(elf, target);
            if (!problems.isEmpty()) {
                throw new MojoFailureException(image.getFileName() + " does not suit board " + target.name() + ": "
                        + problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
            }
        }
    }

    /** The generated Makefile may refer to the installation's runtime sources through TINYFORGE_HOME. */
    private Map<String, String> environment() throws MojoExecutionException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(TinyforgeHome.ENVIRONMENT, home().toString());
        return env;
    }
}
