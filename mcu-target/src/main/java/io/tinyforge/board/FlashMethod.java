package io.tinyforge.board;

import io.tinyforge.board.Board.Flash;
import io.tinyforge.board.Board.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Programs a real board with the tool its descriptor names, e.g.
 * {@code pyocd flash --target mimxrt1060 app.hex} or
 * {@code teensy_loader_cli --mcu=TEENSY41 -w -v app.hex}: {@code ${image}} in the args is replaced
 * by the image path. The tool is looked up on the PATH of the given environment (this process's
 * by default); a missing tool fails with one line saying how to install it.
 */
public final class FlashMethod {
    private final Board board;
    private final Flash flash;
    private final Map<String, String> environment;

    public record Result(List<String> command, int exitCode, String output) {
    }

    public FlashMethod(Board board) {
        this(board, System.getenv());
    }

    /** @param environment the tool's environment; its PATH decides which tool runs */
    public FlashMethod(Board board, Map<String, String> environment) {
        this.board = board;
        this.flash = board.flash().orElseThrow(() -> new BoardException("board " + board.name()
                + " has no flash method (only real boards have a \"flash\" field in board.json)"));
        this.environment = new HashMap<>(environment);
    }

    public ImageFormat imageFormat() {
        return flash.imageFormat();
    }

    /** Converts a linked ELF into the image format the tool wants (next to the ELF). */
    public Path prepareImage(Path elf) {
        return FirmwareBuild.convert(board, elf, flash.imageFormat());
    }

    /** The command that {@link #flash} runs, with the tool resolved on PATH when present. */
    public List<String> command(Path image) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.which(flash.tool(), environment).map(Path::toString).orElse(flash.tool()));
        String imagePath = image.toAbsolutePath().toString();
        for (String arg : flash.args()) {
            cmd.add(arg.replace("${image}", imagePath));
        }
        return cmd;
    }

    /** Runs the flash tool; fails on a missing tool or image, a wrong image format, a timeout or a non-zero exit. */
    public Result flash(Path image, Duration timeout) {
        if (!Files.isRegularFile(image)) {
            throw new BoardException("image " + image + " does not exist; build it first");
        }
        String wanted = "." + flash.imageFormat().extension();
        if (!image.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(wanted)) {
            throw new BoardException(flash.tool() + " for board " + board.name() + " needs a " + wanted
                    + " image, got " + image.getFileName() + "; convert it with FlashMethod.prepareImage");
        }
        if (Processes.which(flash.tool(), environment).isEmpty()) {
            throw new BoardException(flash.tool() + " not found on PATH; install it with: " + flash.installHint());
        }
        List<String> cmd = command(image);
        Processes.Result r = Processes.run(cmd, null, environment, timeout);
        if (r.exitCode() != 0) {
            throw new BoardException(flash.tool() + " failed (exit " + r.exitCode() + ") flashing " + board.name() + ": "
                    + r.lastLine());
        }
        return new Result(r.command(), r.exitCode(), r.output());
    }
}
