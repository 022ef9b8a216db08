package io.tinyforge.maven;

import io.tinyforge.board.Board;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Locates the linked firmware in the generated project after {@code make}: the ELF files under the folder
 * (object files and libraries excluded; Arm boards want the {@code .elf} name), the newest one if several.
 */
final class FirmwareImage {
    private static final int SEARCH_DEPTH = 3;
    private static final List<String> NOT_IMAGES = List.of(".o", ".a", ".so", ".obj");

    private FirmwareImage() {
    }

    /** {@code explicit} when given (it must exist), else the newest linked ELF under {@code projectDir}. */
    static Path find(Board board, Path projectDir, Path explicit) throws MojoExecutionException {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new MojoExecutionException("image " + explicit + " does not exist; build it first or fix <image>");
            }
            return explicit.toAbsolutePath().normalize();
        }
        if (!Files.isDirectory(projectDir)) {
            throw new MojoExecutionException("no generated project at " + projectDir
                    + "; run the generate and build goals first (or set <image>)");
        }
        try (Stream<Path> files = Files.walk(projectDir, SEARCH_DEPTH)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> isLinkedImage(board, p))
                    .max(Comparator.comparing(FirmwareImage::modified))
                    .orElseThrow(() -> new MojoExecutionException("no firmware image (ELF) under " + projectDir
                            + "; run the build goal first (or set <image>)"));
        } catch (IOException e) {
            throw new MojoExecutionException("cannot search " + projectDir + " for the firmware image (" + e.getMessage()
                    + ")");
        }
    }

    private static boolean isLinkedImage(Board board, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (NOT_IMAGES.stream().anyMatch(name::endsWith)) {
            return false;
        }
        if (!board.isHost() && !name.endsWith(".elf")) {
            return false;
        }
        return hasElfMagic(file);
    }

    private static boolean hasElfMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7F && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
