package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole user path on examples/digits_int8.tflite: the sample project's executions generate and build the
 * firmware in {@code mvn compile}, then flash puts it on the board (fake tools for real boards, QEMU otherwise) and
 * verify compares it with the simulator.
 */
class PipelineTest {
    /** What gen-firmware says while the code generator is still a stub (tools/.../cli/Generate.java). */
    private static final String GENERATOR_STUB = "firmware generation is not built yet";

    private static void assumeGeneratorBuilt(SampleProject.Run run) {
        assumeFalse(run.output().contains(GENERATOR_STUB), "skipped: " + GENERATOR_STUB);
    }

    @Test
    void compileGeneratesAndBuildsThenFlashBootsOnQemu() {
        TestFirmware.assumeQemu();
        SampleProject project = SampleProject.create("pipeline-qemu").property("tinyforge.runSeconds", "20");

        SampleProject.Run run = project.run("compile", "tinyforge:flash");

        assumeGeneratorBuilt(run);
        assertTrue(run.succeeded(), "compile + flash failed, see " + run.log());
        Path out = project.outputDirectory();
        assertTrue(Files.isRegularFile(out.resolve("Makefile")), "no generated Makefile in " + out);
        List<String> info = run.infoLines();
        assertTrue(info.stream().anyMatch(l -> l.startsWith("gen-firmware --board qemu-mps2-an500 ")),
                "generate did not run, see " + run.log());
        assertTrue(info.stream().anyMatch(l -> l.startsWith("firmware image: " + out)), "no image, see " + run.log());
        // the demo app runs at once (its start handshake is answered), prints its report and exits
        assertTrue(info.contains("firmware exited with status 0"), "no exit, see " + run.log());
        assertTrue(info.stream().anyMatch(l -> l.startsWith("uart: READY ")) && info.contains("uart: DONE")
                && info.stream().anyMatch(l -> l.matches("uart: OUTPUT 0 [0-9a-f]{20}")), "no UART report, see " + run.log());
    }

    @Test
    void theBoardGivenOnTheCommandLineWinsOverThePom() {
        SampleProject project = SampleProject.create("pipeline-override").property("tinyforge.board", "host");

        SampleProject.Run run = project.run("tinyforge:generate");

        assertTrue(run.succeeded(), "generate failed, see " + run.log());
        assertTrue(run.infoLines().stream().anyMatch(l -> l.startsWith("gen-firmware --board host ")),
                "-Dtinyforge.board=host ignored (the POM says qemu-mps2-an500), see " + run.log());
        assertTrue(Files.isRegularFile(project.outputDirectory().resolve("main.c")));
        assertFalse(Files.exists(project.outputDirectory().resolve("board/linker.ld")), "a host project has no board");
    }

    @Test
    void compileThenFlashTeensyHandsTheGeneratedImageToTheLoader() {
        SampleProject project = SampleProject.create("pipeline-teensy41").property("sample.board", "teensy41");
        TestFirmware.assumeToolchain(TestFirmware.board("teensy41"));
        FakeFlashTool fake = FakeFlashTool.install(ReactorRepository.moduleDir().resolve("target/it-fake/pipeline-teensy41"),
                "teensy_loader_cli", 0);

        SampleProject.Run run = project.pathFirst(fake.bin()).run("compile", "tinyforge:flash");

        assumeGeneratorBuilt(run);
        assertTrue(run.succeeded(), "compile + flash failed, see " + run.log());
        Path elf = run.infoLines().stream().filter(l -> l.startsWith("firmware image: ")).findFirst()
                .map(l -> Path.of(l.substring("firmware image: ".length())))
                .orElseThrow(() -> new AssertionError("no image reported, see " + run.log()));
        Path hex = elf.resolveSibling(elf.getFileName().toString().replaceAll("\\.elf$", "") + ".hex");
        assertEquals(List.of("--mcu=TEENSY41", "-w", "-v", hex.toString()), fake.argv());
        assertArrayEquals(TestFirmware.intelHex(elf, project.dir().resolve("expected-by-test.hex")), fake.image());
    }

    @Test
    void verifyOnQemuMatchesTheSimulator() {
        TestFirmware.assumeQemu();
        TestFirmware.assumeToolchain(TestFirmware.board("qemu-mps2-an500"));
        SampleProject project = SampleProject.create("pipeline-verify").property("tinyforge.random", "2");

        SampleProject.Run run = project.run("tinyforge:verify");

        assumeGeneratorBuilt(run);
        assertTrue(run.succeeded(), "verify failed, see " + run.log());
        assertTrue(run.infoLines().stream().anyMatch(l -> l.startsWith("gen-firmware verify --board qemu-mps2-an500 --random 2 ")),
                "verify command not logged, see " + run.log());
        assertTrue(run.output().lines().noneMatch(l -> l.startsWith("[WARNING]") && l.contains("verify")),
                "progress logged as a warning, see " + run.log());
        assertTrue(run.infoLines().stream().anyMatch(l -> l.contains("firmware built") || l.contains("firmware reused")),
                "progress not logged as info, see " + run.log());
    }
}
