package io.tinyforge.maven;

import io.tinyforge.board.Board;
import io.tinyforge.board.ElfFile;
import io.tinyforge.cli.GenFirmware;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The local repository the sample-project builds run with ({@code maven-plugin/target/it-repo}): this reactor's
 * artifacts are "installed" into it straight from what this test run compiled (target/classes, packed into jars;
 * jars when the module runs alone against installed artifacts), so the tests work in the {@code test} phase without
 * {@code mvn install}. Everything else (picocli, gson, ...) comes from the outer build's local repository through a
 * file:// mirror in {@link #settingsFile()}, so no network is used and nothing is written to that repository.
 */
final class ReactorRepository {
    static final String GROUP = "io.tinyforge";
    private static Path prepared;

    private ReactorRepository() {
    }

    static String version() {
        return System.getProperty("tinyforge.it.version", "0.1.0-SNAPSHOT");
    }

    static Path moduleDir() {
        return Path.of("").toAbsolutePath();
    }

    static Path repoRoot() {
        String prop = System.getProperty("tinyforge.root");
        Path root = prop != null ? Path.of(prop) : moduleDir().getParent();
        return root.toAbsolutePath().normalize();
    }

    /** The outer build's local repository (surefire passes ${settings.localRepository}). */
    static Path outerLocalRepository() {
        String prop = System.getProperty("tinyforge.it.localRepository");
        return prop != null ? Path.of(prop) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    static synchronized Path path() {
        if (prepared == null) {
            Path repo = moduleDir().resolve("target/it-repo");
            deleteTree(repo); // also forgets resolution failures cached by an earlier run
            install(repo, "tinyforge-parent", null, repoRoot().resolve("pom.xml"));
            install(repo, "model", Board.class);
            install(repo, "codegen", reactorClass("codegen", "io.tinyforge.cgen.ProjectGenerator"));
            install(repo, "mcu-sim", reactorClass("mcu-sim", "io.tinyforge.sim.Simulator"));
            install(repo, "mcu-target", ElfFile.class);
            install(repo, "tools", GenFirmware.class);
            install(repo, "tinyforge-maven-plugin", GenerateMojo.class);
            Path pluginClasses = location(GenerateMojo.class);
            if (Files.isDirectory(pluginClasses) && !Files.isRegularFile(pluginClasses.resolve("META-INF/maven/plugin.xml"))) {
                throw new IllegalStateException("no META-INF/maven/plugin.xml in " + pluginClasses
                        + ": run the tests through Maven (maven-plugin-plugin writes it in process-classes)");
            }
            prepared = repo;
        }
        return prepared;
    }

    /** Maven settings whose only repository is a file:// mirror of the outer local repository. */
    static Path settingsFile() {
        Path settings = moduleDir().resolve("target/it-settings.xml");
        String xml = """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>outer-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(outerLocalRepository().toUri());
        write(settings, xml);
        return settings;
    }

    /** A class of a module this one reaches only through tools (so it is looked up, not imported). */
    private static Class<?> reactorClass(String module, String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(module + " is not on the test class path", e);
        }
    }

    private static Path artifactDir(String artifactId) {
        return Path.of(GROUP.replace('.', '/'), artifactId, version());
    }

    private static void install(Path repo, String artifactId, Class<?> anyClass) {
        Path location = location(anyClass);
        Path pom;
        if (Files.isDirectory(location)) {
            pom = location.getParent().getParent().resolve("pom.xml"); // <module>/target/classes
        } else {
            String jar = location.getFileName().toString();
            pom = location.resolveSibling(jar.substring(0, jar.length() - ".jar".length()) + ".pom");
        }
        install(repo, artifactId, location, pom);
    }

    /** Writes {@code <artifactId>-<version>.pom} and, for a module with classes, its jar. */
    private static void install(Path repo, String artifactId, Path classes, Path pom) {
        Path dir = repo.resolve(artifactDir(artifactId));
        String base = artifactId + "-" + version();
        try {
            Files.createDirectories(dir);
            Files.copy(pom, dir.resolve(base + ".pom"));
            if (classes != null) {
                Path jar = dir.resolve(base + ".jar");
                if (Files.isDirectory(classes)) {
                    packJar(classes, jar);
                } else {
                    Files.copy(classes, jar);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + artifactId + " into " + repo, e);
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void packJar(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
