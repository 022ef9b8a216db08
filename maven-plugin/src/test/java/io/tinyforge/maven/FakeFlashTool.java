package io.tinyforge.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for pyocd / teensy_loader_cli in a bin folder the test puts first on PATH: it records its arguments
 * (one per line) and a copy of every argument that names an existing file (the image), then exits with a chosen
 * status, printing a line like a real tool would.
 */
final class FakeFlashTool {
    private final Path bin;
    private final Path record;

    private FakeFlashTool(Path bin, Path record) {
        this.bin = bin;
        this.record = record;
    }

    static FakeFlashTool install(Path dir, String tool, int exitStatus) {
        Path bin = dir.resolve("bin");
        Path record = dir.resolve("record");
        ReactorRepository.deleteTree(dir);
        String script = """
                #!/bin/sh
                # fake %1$s written by FakeFlashTool: records argv and the image it was given
                rec='%2$s'
                mkdir -p "$rec"
                : > "$rec/argv"
                for a in "$@"; do
                  printf '%%s\\n' "$a" >> "$rec/argv"
                  if [ -f "$a" ]; then cp "$a" "$rec/image"; fi
                done
                echo "fake %1$s: exit %3$d"
                exit %3$d
                """.formatted(tool, record.toAbsolutePath(), exitStatus);
        Path file = bin.resolve(tool);
        ReactorRepository.write(file, script);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeFlashTool(bin, record);
    }

    Path bin() {
        return bin;
    }

    boolean ran() {
        return Files.isRegularFile(record.resolve("argv"));
    }

    List<String> argv() {
        return ReactorRepository.lines(record.resolve("argv"));
    }

    byte[] image() {
        try {
            return Files.readAllBytes(record.resolve("image"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
