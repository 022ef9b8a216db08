package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.board.Board;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How goal parameters become command lines. */
class GoalArgumentsTest {

    @Test
    void verifyPassesRandomSeedPortAndCache() {
        VerifyMojo mojo = new VerifyMojo();
        mojo.board = "teensy41";
        mojo.model = new File("/m/digits.tflite");
        mojo.random = 5;
        mojo.seed = 42;
        mojo.port = "/dev/ttyACM0";
        mojo.cacheDirectory = new File("/p/target/tinyforge-verify");
        assertEquals(List.of("verify", "--board", "teensy41", "--random", "5", "--seed", "42", "--port", "/dev/ttyACM0",
                "--cache-dir", "/p/target/tinyforge-verify", "/m/digits.tflite"), mojo.arguments());
    }

    @Test
    void verifyFlashesFirstOnlyWithAPort() {
        VerifyMojo mojo = new VerifyMojo();
        mojo.board = "imxrt1060-evk";
        mojo.model = new File("/m/digits.tflite");
        mojo.flashFirst = true;
        assertEquals(List.of("verify", "--board", "imxrt1060-evk", "/m/digits.tflite"), mojo.arguments());
        mojo.port = "/dev/ttyACM0";
        assertEquals(List.of("verify", "--board", "imxrt1060-evk", "--port", "/dev/ttyACM0", "--flash",
                "/m/digits.tflite"), mojo.arguments());
    }

    @Test
    void verifySeedAloneMeansTheDefaultCount() {
        VerifyMojo mojo = new VerifyMojo();
        mojo.board = "qemu-mps2-an500";
        mojo.model = new File("/m/digits.tflite");
        mojo.seed = 7;
        mojo.perLayer = true;
        assertEquals(List.of("verify", "--board", "qemu-mps2-an500", "--random", "10", "--seed", "7", "--per-layer",
                "/m/digits.tflite"), mojo.arguments());
    }

    @Test
    void qemuBootTalksToTheUartOnStandardInputAndOutput() {
        Board board = TestFirmware.board("qemu-mps2-an500");
        List<String> cmd = QemuBoot.command(board, Path.of("/fw/app.elf"));
        assertEquals(List.of("qemu-system-arm", "-M", "mps2-an500", "-nographic", "-kernel", "/fw/app.elf", "-icount",
                "shift=0,sleep=off", "-semihosting-config", "enable=on,target=native", "-serial", "stdio",
                "-monitor", "none"), cmd);
    }
}
