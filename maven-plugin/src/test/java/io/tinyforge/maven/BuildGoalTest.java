package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code mvn tinyforge:build} on a Makefile project (a stand-in for a generated one), then flash on QEMU. */
class BuildGoalTest {
    private static final Path REPORT_APP = ReactorRepository.moduleDir().resolve("src/test/resources/firmware/report_app.c");

    @Test
    void buildRunsMakeReportsTheImageAndFlashBootsIt() {
        TestFirmware.assumeQemu();
        SampleProject project = SampleProject.create("build-make");
        MakeProject.write(project.outputDirectory(), "qemu-mps2-an500", REPORT_APP);

        SampleProject.Run run = project.run("tinyforge:build", "tinyforge:flash");

        assertTrue(run.succeeded(), "build + flash failed, see " + run.log());
        assertTrue(run.infoLines().contains("firmware image: " + project.outputDirectory().resolve("report_app.elf")),
                "image not reported, see " + run.log());
        assertTrue(run.infoLines().stream().anyMatch(l -> l.startsWith("flash ") && l.contains(" bytes (code ")),
                "memory use not reported, see " + run.log());
        assertTrue(run.infoLines().contains("uart: report_app on qemu-mps2-an500"), "no UART output, see " + run.log());
    }

    @Test
    void compileErrorFailsTheBuildWithTheFirstErrorLine() {
        SampleProject project = SampleProject.create("build-broken");
        Path broken = project.dir().resolve("broken.c");
        ReactorRepository.write(broken, "#error broken on purpose\n");
        MakeProject.write(project.outputDirectory(), "qemu-mps2-an500", broken);

        SampleProject.Run run = project.run("tinyforge:build");

        assertEquals(1, run.exitCode(), "Maven should fail, see " + run.log());
        NoStackTraces.check(run);
        String line = run.failureLine().orElseThrow(() -> new AssertionError("no failure line in " + run.log()));
        assertTrue(line.contains(": make failed (exit 2) building " + project.outputDirectory() + ": "), line);
        assertTrue(line.contains("broken.c:1:2: error: #error broken on purpose"), line);
    }

    @Test
    void missingMakefileSaysToGenerateFirst() {
        SampleProject project = SampleProject.create("build-no-makefile");
        SampleProject.Run run = project.run("tinyforge:build");
        assertEquals(1, run.exitCode(), "Maven should fail, see " + run.log());
        String line = run.failureLine().orElseThrow(() -> new AssertionError("no failure line in " + run.log()));
        assertTrue(line.endsWith(": no Makefile in " + project.outputDirectory() + "; run the generate goal first -> [Help 1]"),
                line);
    }
}
