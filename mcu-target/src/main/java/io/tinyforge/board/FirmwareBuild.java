package io.tinyforge.board;

import io.tinyforge.board.Board.ImageFormat;
import io.tinyforge.board.Board.Toolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds firmware for a board in one compiler run: the board's arch flags, linker script,
 * startup and platform sources (board.json "sources"), plus the caller's sources, include dirs
 * and defines. Board constants become -D flags ({@link BoardDefines}); the stack reserve
 * becomes {@code -Wl,--defsym=__stack_size=<stack_bytes>}.
 * <pre>
 * FirmwareBuild.Artifact fw = FirmwareBuild.forBoard(board, repoRoot)
 *         .addSource(modelC).addIncludeDir(generatedDir)
 *         .build(outDir, "model");
 * Path hex = FirmwareBuild.convert(board, fw.image(), ImageFormat.HEX);
 * </pre>
 */
public final class FirmwareBuild {
    private final Board board;
    private final Path repoRoot;
    private final List<Path> sources = new ArrayList<>();
    private final List<Path> includeDirs = new ArrayList<>();
    private final Map<String, String> defines = new LinkedHashMap<>();
    private final List<String> extraFlags = new ArrayList<>();
    private String optimization = "-O2";
    private String standard = "c99";
    private boolean warningsAsErrors = true;
    private Duration timeout = Duration.ofMinutes(5);

    /** The result of a build: an ELF (Arm boards) or a native executable (host), and the tool output. */
    public record Artifact(Board board, Path image, Optional<Path> map, String log) {
        public ElfFile elf() {
            return ElfFile.read(image);
        }

        public MemoryUsage memoryUsage() {
            return MemoryUsage.of(elf(), board);
        }

        public List<String> imageProblems() {
            return ImageCheck.check(elf(), board);
        }
    }

    private FirmwareBuild(Board board, Path repoRoot) {
        this.board = board;
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
    }

    public static FirmwareBuild forBoard(Board board, Path repoRoot) {
        return new FirmwareBuild(board, repoRoot);
    }

    public FirmwareBuild addSource(Path source) {
        sources.add(source.toAbsolutePath());
        return this;
    }

    public FirmwareBuild addSources(Collection<Path> more) {
        more.forEach(this::addSource);
        return this;
    }

    public FirmwareBuild addIncludeDir(Path dir) {
        includeDirs.add(dir.toAbsolutePath());
        return this;
    }

    public FirmwareBuild define(String name, String value) {
        defines.put(name, value);
        return this;
    }

    public FirmwareBuild define(String name) {
        return define(name, null);
    }

    /** Extra compiler flags, appended after the defaults (so they win). */
    public FirmwareBuild addFlags(String... flags) {
        extraFlags.addAll(List.of(flags));
        return this;
    }

    /** Default -O2. */
    public FirmwareBuild optimization(String flag) {
        this.optimization = flag;
        return this;
    }

    /** C standard for -std=, default c99. */
    public FirmwareBuild standard(String std) {
        this.standard = std;
        return this;
    }

    /** -Werror, on by default. */
    public FirmwareBuild warningsAsErrors(boolean on) {
        this.warningsAsErrors = on;
        return this;
    }

    public FirmwareBuild timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** True if the compiler (and for Arm boards objcopy) of the board is on PATH. */
    public static boolean toolchainAvailable(Board board) {
        return Processes.which(board.toolchain().tool("gcc"), null).isPresent()
                && (board.isHost() || Processes.which(board.toolchain().tool("objcopy"), null).isPresent());
    }

    public Path outputImage(Path outputDir, String name) {
        return outputDir.toAbsolutePath().resolve(board.isHost() ? name : name + ".elf");
    }

    /** The full compiler command line (compile and link in one run). */
    public List<String> command(Path outputDir, String name) {
        Path out = outputImage(outputDir, name);
        List<String> cmd = new ArrayList<>();
        cmd.add(board.toolchain().tool("gcc"));
        cmd.addAll(board.archFlags());
        cmd.add("-std=" + standard);
        cmd.add(optimization);
        cmd.addAll(List.of("-g", "-ffunction-sections", "-fdata-sections", "-fno-common", "-Wall", "-Wextra"));
        if (warningsAsErrors) {
            cmd.add("-Werror");
        }
        cmd.add("-I" + repoRoot.resolve("firmware/platform"));
        includeDirs.forEach(dir -> cmd.add("-I" + dir));
        Map<String, String> all = new LinkedHashMap<>(BoardDefines.of(board));
        all.putAll(defines);
        all.forEach((k, v) -> cmd.add(v == null ? "-D" + k : "-D" + k + "=" + v));
        cmd.addAll(extraFlags);
        if (board.toolchain() == Toolchain.ARM_NONE_EABI) {
            Path script = board.linkerScriptPath().orElseThrow();
            cmd.addAll(List.of("-nostartfiles", "--specs=nano.specs", "-T" + script,
                    "-Wl,--gc-sections", "-Wl,--no-warn-rwx-segments",
                    "-Wl,--defsym=__stack_size=" + board.stackBytes(),
                    "-Wl,-Map=" + outputDir.toAbsolutePath().resolve(name + ".map")));
        }
        cmd.addAll(List.of("-o", out.toString()));
        for (String s : board.sources()) {
            cmd.add(repoRoot.resolve(s).toString());
        }
        sources.forEach(s -> cmd.add(s.toString()));
        return cmd;
    }

    /** Compiles and links; a failing compiler becomes a BoardException naming the first error. */
    public Artifact build(Path outputDir, String name) {
        String gcc = board.toolchain().tool("gcc");
        if (Processes.which(gcc, null).isEmpty()) {
            throw new BoardException(gcc + " not found on PATH; install it (Debian: apt-get install "
                    + (board.isHost() ? "gcc" : "gcc-arm-none-eabi libnewlib-arm-none-eabi") + ")");
        }
        for (String s : board.sources()) {
            if (!Files.isRegularFile(repoRoot.resolve(s))) {
                throw new BoardException("board " + board.name() + " lists source " + s + ", which does not exist under "
                        + repoRoot);
            }
        }
        for (Path s : sources) {
            if (!Files.isRegularFile(s)) {
                throw new BoardException("source " + s + " does not exist");
            }
        }
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new BoardException("cannot create " + outputDir + " (" + e.getMessage() + ")");
        }
        List<String> cmd = command(outputDir, name);
        Processes.Result result = Processes.run(cmd, repoRoot, null, timeout);
        if (result.exitCode() != 0) {
            throw new BoardException(gcc + " failed building " + name + " for " + board.name() + ": "
                    + result.firstErrorLine());
        }
        Path map = outputDir.toAbsolutePath().resolve(name + ".map");
        return new Artifact(board, outputImage(outputDir, name), Files.exists(map) ? Optional.of(map) : Optional.empty(),
                result.output());
    }

    /**
     * Converts a linked ELF into the given format next to it ({@code app.hex}, {@code app.bin});
     * ELF returns the input. Binary images start at the lowest load address (the flash origin).
     */
    public static Path convert(Board board, Path elf, ImageFormat format) {
        if (format == ImageFormat.ELF) {
            return elf;
        }
        if (board.isHost()) {
            throw new BoardException("board " + board.name() + " builds native programs; no " + format.extension() + " image");
        }
        String objcopy = board.toolchain().tool("objcopy");
        if (Processes.which(objcopy, null).isEmpty()) {
            throw new BoardException(objcopy + " not found on PATH; install it (Debian: apt-get install binutils-arm-none-eabi)");
        }
        String file = elf.getFileName().toString();
        String base = file.toLowerCase(Locale.ROOT).endsWith(".elf") ? file.substring(0, file.length() - 4) : file;
        Path out = elf.toAbsolutePath().resolveSibling(base + "." + format.extension());
        List<String> cmd = List.of(objcopy, "-O", format == ImageFormat.HEX ? "ihex" : "binary", elf.toString(),
                out.toString());
        Processes.Result result = Processes.run(cmd, null, null, Duration.ofMinutes(2));
        if (result.exitCode() != 0) {
            throw new BoardException(objcopy + " failed converting " + elf + " to " + format.extension() + ": "
                    + result.lastLine());
        }
        return out;
    }
}
