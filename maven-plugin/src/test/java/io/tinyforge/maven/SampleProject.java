package io.tinyforge.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.shared.invoker.DefaultInvocationRequest;
import org.apache.maven.shared.invoker.DefaultInvoker;
import org.apache.maven.shared.invoker.InvocationResult;
import org.apache.maven.shared.invoker.MavenInvocationException;

/**
 * A copy of src/test/resources/sample (a user's project using the plugin) under target/it/<name>, with the model
 * next to it, built by a real Maven through maven-invoker against {@link ReactorRepository}.
 */
final class SampleProject {
    private static final int MAVEN_TIMEOUT_SECONDS = 300;

    private final Path dir;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    /** The outcome of one Maven run: its exit code and everything it printed. */
    record Run(int exitCode, String output, Path log) {
        boolean succeeded() {
            return exitCode == 0 && output.contains("BUILD SUCCESS");
        }

        /** Maven's one-line failure ("[ERROR] Failed to execute goal ...: message -> [Help 1]"). */
        Optional<String> failureLine() {
            return output.lines().filter(l -> l.startsWith("[ERROR] Failed to execute goal")).findFirst();
        }

        /** Lines our goals logged at info level, without the "[INFO] " prefix. */
        List<String> infoLines() {
            return output.lines().filter(l -> l.startsWith("[INFO] ")).map(l -> l.substring(7)).toList();
        }
    }

    private SampleProject(Path dir) {
        this.dir = dir;
    }

    /** A fresh copy named {@code name}; the home comes from TINYFORGE_HOME, as users of the launcher have it. */
    static SampleProject create(String name) {
        Path dir = ReactorRepository.moduleDir().resolve("target/it").resolve(name);
        ReactorRepository.deleteTree(dir);
        try {
            Path template = ReactorRepository.moduleDir().resolve("src/test/resources/sample/pom.xml");
            String pom = Files.readString(template).replace("@tinyforge.version@", ReactorRepository.version());
            ReactorRepository.write(dir.resolve("pom.xml"), pom);
            Files.createDirectories(dir.resolve("model"));
            Files.copy(ReactorRepository.repoRoot().resolve("examples/digits_int8.tflite"),
                    dir.resolve("model/digits_int8.tflite"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the sample project in " + dir, e);
        }
        SampleProject project = new SampleProject(dir);
        project.environment.put(TinyforgeHome.ENVIRONMENT, ReactorRepository.repoRoot().toString());
        return project;
    }

    Path dir() {
        return dir;
    }

    Path outputDirectory() {
        return dir.resolve("target/tinyforge");
    }

    SampleProject property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    SampleProject environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Puts {@code dir} first on the PATH of Maven (and so of the tools the goals run). */
    SampleProject pathFirst(Path bin) {
        return environment("PATH", bin.toAbsolutePath() + File.pathSeparator + System.getenv("PATH"));
    }

    Run run(String... goals) {
        DefaultInvocationRequest request = new DefaultInvocationRequest();
        request.setBaseDirectory(dir.toFile());
        request.setGoals(List.of(goals));
        request.setBatchMode(true);
        request.setNoTransferProgress(true);
        request.setLocalRepositoryDirectory(ReactorRepository.path().toFile());
        request.setUserSettingsFile(ReactorRepository.settingsFile().toFile());
        Properties props = new Properties();
        props.putAll(properties);
        request.setProperties(props);
        request.setShellEnvironmentInherited(true);
        environment.forEach(request::addShellEnvironment);
        request.setTimeoutInSeconds(MAVEN_TIMEOUT_SECONDS);
        List<String> lines = new ArrayList<>();
        request.setOutputHandler(line -> {
            synchronized (lines) {
                lines.add(line);
            }
        });
        request.setErrorHandler(line -> {
            synchronized (lines) {
                lines.add(line);
            }
        });
        DefaultInvoker invoker = new DefaultInvoker();
        invoker.setMavenHome(mavenHome().toFile());
        InvocationResult result;
        try {
            result = invoker.execute(request);
        } catch (MavenInvocationException e) {
            throw new IllegalStateException("cannot start Maven for " + dir + ": " + e.getMessage(), e);
        }
        String output;
        synchronized (lines) {
            output = String.join("\n", lines) + "\n";
        }
        Path log = dir.resolve("build.log");
        ReactorRepository.write(log, "mvn " + String.join(" ", goals) + " " + properties + "\n" + output);
        if (result.getExecutionException() != null) {
            throw new IllegalStateException("Maven did not run for " + dir + ": " + result.getExecutionException());
        }
        return new Run(result.getExitCode(), output, log);
    }

    /** The Maven running this test (surefire passes ${maven.home}), else the mvn on PATH. */
    static Path mavenHome() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isDirectory(Path.of(home, "bin"))) {
            return Path.of(home);
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path mvn = Path.of(entry, "mvn");
            if (Files.isExecutable(mvn)) {
                try {
                    return mvn.toRealPath().getParent().getParent();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no Maven found: neither -Dmaven.home nor mvn on PATH");
    }
}
