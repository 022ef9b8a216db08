package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mvn tinyforge:flash} in the sample project on a prebuilt image: real boards run their flash tool (a fake
 * first on PATH records what it got), QEMU boards boot and report.
 */
class FlashGoalTest {

    @ParameterizedTest
    @CsvSource({
        "imxrt1060-evk, pyocd,             flash --target mimxrt1060",
        "teensy41,      teensy_loader_cli, --mcu=TEENSY41 -w -v"})
    void realBoardRunsItsFlashToolWithTheHexImage(String board, String tool, String toolArgs) {
        Path elf = TestFirmware.reportApp(board, 0);
        byte[] expectedHex = TestFirmware.intelHex(elf, elf.resolveSibling("expected-by-test.hex"));
        FakeFlashTool fake = FakeFlashTool.install(ReactorRepository.moduleDir().resolve("target/it-fake/" + board), tool, 0);

        SampleProject.Run run = SampleProject.create("flash-" + board)
                .property("sample.board", board)
                .property("tinyforge.image", elf.toString())
                .pathFirst(fake.bin())
                .run("tinyforge:flash");

        assertTrue(run.succeeded(), "flash failed, see " + run.log());
        Path hex = elf.resolveSibling("report_app.hex");
        List<String> expectedArgv = new ArrayList<>(List.of(toolArgs.trim().split("\\s+")));
        expectedArgv.add(hex.toString());
        assertEquals(expectedArgv, fake.argv(), "the flash tool's arguments");
        assertArrayEquals(expectedHex, fake.image(), "the image the tool received is the ELF as Intel hex");
        // the image starts in QSPI flash: first record sets the upper address to 0x6000
        assertTrue(new String(fake.image()).startsWith(":020000046000"), "hex image does not start at 0x60000000");
        String command = "flashing " + board + ": " + fake.bin().resolve(tool) + " " + String.join(" ", expectedArgv);
        assertTrue(run.infoLines().contains(command), "no line '" + command + "' in " + run.log());
        assertTrue(run.infoLines().contains("fake " + tool + ": exit 0"), "tool output not reported, see " + run.log());
    }

    @Test
    void qemuBoardBootsTheImageAndReportsItsUartOutput() {
        TestFirmware.assumeQemu();
        Path elf = TestFirmware.reportApp("qemu-mps2-an500", 0);

        SampleProject.Run run = SampleProject.create("flash-qemu")
                .property("tinyforge.image", elf.toString())
                .run("tinyforge:flash");

        assertTrue(run.succeeded(), "flash failed, see " + run.log());
        List<String> info = run.infoLines();
        assertTrue(info.contains("uart: report_app on qemu-mps2-an500"), "UART line missing, see " + run.log());
        assertTrue(info.contains("uart: exiting with 0"), "UART line missing, see " + run.log());
        assertTrue(info.contains("firmware exited with status 0"), "exit status not reported, see " + run.log());
    }

    @Test
    void qemuFirmwareExitingNonZeroFailsTheBuildInOneLine() {
        TestFirmware.assumeQemu();
        Path elf = TestFirmware.reportApp("qemu-mps2-an500", 7);

        SampleProject.Run run = SampleProject.create("flash-qemu-fails")
                .property("tinyforge.image", elf.toString())
                .run("tinyforge:flash");

        assertEquals(1, run.exitCode(), "Maven should fail, see " + run.log());
        String failure = run.failureLine().orElseThrow(() -> new AssertionError("no failure line in " + run.log()));
        assertTrue(failure.endsWith("firmware on qemu-mps2-an500 exited with status 7: exiting with 7 -> [Help 1]"), failure);
        NoStackTraces.check(run);
    }
}
