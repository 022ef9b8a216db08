package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each failure ends the build with Maven's one-line "Failed to execute goal ...: <tinyforge message>". */
class GoalErrorsTest {

    private static String failure(SampleProject.Run run) {
        assertEquals(1, run.exitCode(), "Maven should fail, see " + run.log());
        NoStackTraces.check(run);
        return run.failureLine().orElseThrow(() -> new AssertionError("no failure line in " + run.log()));
    }

    @Test
    void unknownBoardListsTheKnownOnes() {
        String line = failure(SampleProject.create("error-board").property("sample.board", "nope").run("tinyforge:flash"));
        assertTrue(line.contains(": unknown board 'nope'; known boards: "), line);
        assertTrue(line.contains("qemu-mps2-an500") && line.contains("teensy41"), line);
    }

    @Test
    void missingInstallationSaysHowToSetIt() {
        String line = failure(SampleProject.create("error-home").environment(TinyforgeHome.ENVIRONMENT, "")
                .run("tinyforge:flash"));
        assertTrue(line.contains(": the tinyforge installation is not set: set <tinyforgeHome>"), line);
    }

    @Test
    void wrongInstallationNamesTheFolder() {
        Path notHome = ReactorRepository.moduleDir().resolve("target/it");
        String line = failure(SampleProject.create("error-wrong-home").property("tinyforge.root", notHome.toString())
                .run("tinyforge:flash"));
        assertTrue(line.contains(": <tinyforgeHome> = " + notHome + " is not a tinyforge installation (it has no boards/"),
                line);
    }

    @Test
    void flashingBeforeBuildingSaysWhatToRunFirst() {
        SampleProject project = SampleProject.create("error-no-image");
        String line = failure(project.run("tinyforge:flash"));
        assertTrue(line.contains(": no generated project at " + project.outputDirectory()
                + "; run the generate and build goals first (or set <image>)"), line);
    }

    @Test
    void failingFlashToolIsReportedWithItsLastLine() {
        Path elf = TestFirmware.reportApp("imxrt1060-evk", 0);
        FakeFlashTool fake = FakeFlashTool.install(ReactorRepository.moduleDir().resolve("target/it-fake/failing"), "pyocd", 1);
        String line = failure(SampleProject.create("error-flash-tool").property("sample.board", "imxrt1060-evk")
                .property("tinyforge.image", elf.toString()).pathFirst(fake.bin()).run("tinyforge:flash"));
        assertTrue(fake.ran(), "the fake pyocd did not run");
        assertTrue(line.contains(": pyocd failed (exit 1) flashing imxrt1060-evk: fake pyocd: exit 1"), line);
    }

    @Test
    void missingFlashToolSaysHowToInstallIt() {
        assumeTrue(Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .noneMatch(dir -> Files.isExecutable(Path.of(dir, "teensy_loader_cli"))),
                "skipped: a real teensy_loader_cli is on PATH");
        Path elf = TestFirmware.reportApp("teensy41", 0);
        String line = failure(SampleProject.create("error-no-tool").property("sample.board", "teensy41")
                .property("tinyforge.image", elf.toString()).run("tinyforge:flash"));
        assertTrue(line.contains(": teensy_loader_cli not found on PATH; install it with: apt-get install teensy-loader-cli"),
                line);
    }
}
