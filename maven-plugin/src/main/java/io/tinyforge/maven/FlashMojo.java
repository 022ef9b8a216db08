package io.tinyforge.maven;

import io.tinyforge.board.Board;
import io.tinyforge.board.FlashMethod;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Puts the firmware on the board. Real boards: converts the ELF to the image format of the board's flash tool and
 * runs it (board.json "flash": pyocd for imxrt1060-evk, teensy_loader_cli for teensy41), tool found on PATH.
 * QEMU boards: boots the image and reports its UART output and exit status (non-zero fails the build).
 * No default phase: flashing happens when asked for ({@code mvn tinyforge:flash}) or where an execution binds it.
 */
@Mojo(name = "flash", threadSafe = true)
public class FlashMojo extends TinyforgeMojo {
    /** The image to flash; default: the ELF the build goal produced in the output directory. */
    @Parameter(property = "tinyforge.image")
    File image;

    /** Time limit of the flash tool. */
    @Parameter(property = "tinyforge.flashTimeoutSeconds", defaultValue = "180")
    int flashTimeoutSeconds;

    /** QEMU boards: how long the firmware may run before it is stopped (a firmware that never exits is fine). */
    @Parameter(property = "tinyforge.runSeconds", defaultValue = "30")
    int runSeconds;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Board target = targetBoard();
        Path elf = FirmwareImage.find(target, outputPath(), image == null ? null : image.toPath());
        if (target.isQemu()) {
            boot(target, elf);
        } else if (target.flash().isPresent()) {
            program(target, elf);
        } else {
            throw new MojoExecutionException("board " + target.name() + " has neither a flash method nor QEMU (a "
                    + (target.isHost() ? "host program: run " + elf + " directly" : "board.json without \"flash\"") + ")");
        }
    }

    private void program(Board target, Path elf) {
        FlashMethod method = new FlashMethod(target);
        Path flashImage = elf.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".elf")
                ? method.prepareImage(elf) : elf;
        getLog().info("flashing " + target.name() + ": " + String.join(" ", method.command(flashImage)));
        FlashMethod.Result result = method.flash(flashImage, Duration.ofSeconds(flashTimeoutSeconds));
        result.output().lines().forEach(getLog()::info);
        getLog().info("flashed " + flashImage.getFileName() + " to " + target.name());
    }

    private void boot(Board target, Path elf) throws MojoFailureException {
        Path uartFile = outputPath().resolve("uart-" + target.name() + ".log");
        getLog().info("booting " + elf.getFileName() + " on " + target.name() + " (QEMU, up to " + runSeconds + " s)");
        QemuBoot.Outcome outcome = QemuBoot.boot(target, elf, uartFile, Duration.ofSeconds(runSeconds));
        getLog().debug(String.join(" ", outcome.command()));
        outcome.uart().lines().forEach(line -> getLog().info("uart: " + line));
        outcome.qemuOutput().lines().forEach(line -> getLog().info("qemu: " + line));
        getLog().info("UART output saved in " + uartFile);
        if (outcome.exitStatus().isEmpty()) {
            getLog().info("firmware still running after " + runSeconds + " s; stopped QEMU");
            return;
        }
        int status = outcome.exitStatus().getAsInt();
        if (status != 0) {
            String last = outcome.uart().strip().lines().reduce((a, b) -> b).orElse("(no UART output)");
            throw new MojoFailureException("firmware on " + target.name() + " exited with status " + status
                    + (status == 125 ? " (fault)" : "") + ": " + last);
        }
        getLog().info("firmware exited with status 0");
    }
}
