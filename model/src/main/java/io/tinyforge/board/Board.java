package io.tinyforge.board;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One board descriptor, {@code boards/<name>/board.json}, as an immutable value.
 * Field meanings are documented in {@code boards/README.md}. Memory names refer to
 * {@link #memories()}; on the host board they are empty.
 */
public record Board(
        String name,
        String description,
        String core,
        List<String> archFlags,
        Toolchain toolchain,
        List<Memory> memories,
        Optional<String> codeMemory,
        Optional<String> ramMemory,
        Optional<String> weightsMemory,
        Optional<String> arenaMemory,
        Optional<String> fastArenaMemory,
        Optional<Long> vectorTable,
        int alignment,
        int stackBytes,
        Uart uart,
        long clockHz,
        Counter counter,
        Optional<Qemu> qemu,
        Optional<Flash> flash,
        Optional<BootHeader> bootHeader,
        Optional<String> linkerScript,
        List<String> sources,
        Path dir,
        List<String> aliases,
        List<ArenaMemory> arenaMemories,
        Optional<FlexRam> flexram) {

    public Board {
        aliases = List.copyOf(aliases);
        arenaMemories = List.copyOf(arenaMemories);
        archFlags = List.copyOf(archFlags);
        memories = List.copyOf(memories);
        sources = List.copyOf(sources);
    }

    /** Which compiler family builds for the board. */
    public enum Toolchain {
        ARM_NONE_EABI("arm-none-eabi", "arm-none-eabi-"),
        HOST("host", "");

        private final String jsonName;
        private final String prefix;

        Toolchain(String jsonName, String prefix) {
            this.jsonName = jsonName;
            this.prefix = prefix;
        }

        public String jsonName() {
            return jsonName;
        }

        /** Name of a binutils/gcc program of this toolchain, e.g. {@code tool("gcc")}. */
        public String tool(String program) {
            return prefix + program;
        }
    }

    public enum MemoryKind { FLASH, RAM }

    /** A memory region; {@code kind} FLASH holds the read-only load image, RAM is read-write at run time. */
    public record Memory(String name, long origin, long length, MemoryKind kind, String access) {
        public long end() {
            return origin + length;
        }

        /** True if [address, address+size) lies inside this region (size 0: address inside or at the end). */
        public boolean contains(long address, long size) {
            return address >= origin && address + size <= end() && (size > 0 || address <= end());
        }

        public boolean executable() {
            return access.contains("x");
        }
    }

    /**
     * The console UART; {@code connection} says how a host reaches it when that is not obvious (e.g. Teensy 4.1:
     * its USB port only flashes, the console is on pins 0/1 and needs a USB-serial adapter).
     */
    public record Uart(String kind, Optional<Long> base, int baud, Optional<String> connection) {
    }

    /** kind: systick-icount | dwt-cyccnt | host-clock; unit: instructions | cycles | ns. */
    public record Counter(String kind, String unit, Optional<BigDecimal> instructionsPerTick) {
        /** instructions_per_tick as a reduced fraction {numerator, denominator}, e.g. 31.25 -> {125, 4}. */
        public Optional<long[]> instructionsPerTickFraction() {
            return instructionsPerTick.map(value -> {
                BigDecimal stripped = value.stripTrailingZeros();
                int scale = Math.max(stripped.scale(), 0);
                BigInteger num = stripped.movePointRight(scale).toBigIntegerExact();
                BigInteger den = BigInteger.TEN.pow(scale);
                BigInteger gcd = num.gcd(den);
                return new long[] {num.divide(gcd).longValueExact(), den.divide(gcd).longValueExact()};
            });
        }
    }

    /**
     * One RAM the planner may put arena buffers in (board.json {@code arena_memories}, fastest first).
     *
     * @param memory a name of {@link #memories()}
     * @param section the linker input section that the linker script sends to that memory
     * @param inputSection the linker input section for model inputs kept in that memory outside the arena (a
     *     camera frame in external RAM, {@code --input-memory}); empty when the linker script has none
     * @param external off-chip RAM (EVK SDRAM, Teensy PSRAM): slower, needs start-up set-up, and the planner uses it
     *     only when asked ({@code --input-memory MEMORY} or {@code --region-limit MEMORY=BYTES})
     * @param initDefine the C macro that switches on the memory's start-up set-up when a plan uses it
     * @param slowdown how many times slower than on-chip RAM the buffers placed there are expected to run
     * @param slowdownSource where that figure comes from
     */
    public record ArenaMemory(String memory, String section, Optional<String> inputSection, boolean external,
            Optional<String> initDefine, Optional<Double> slowdown, Optional<String> slowdownSource) {
        public ArenaMemory(String memory, String section) {
            this(memory, section, Optional.empty());
        }

        public ArenaMemory(String memory, String section, Optional<String> inputSection) {
            this(memory, section, inputSection, false, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * The i.MX RT FlexRAM: {@code banks} banks of {@code bankBytes} each, shared between ITCM, DTCM and OCRAM and
     * split at start-up (IOMUXC_GPR17/16/14). {@code dtcmMemory} and {@code ocramMemory} name the memories that
     * the split resizes; their board.json lengths are the split the part has after reset (its fuse default).
     *
     * @param ocramFixedBytes the part of {@code ocramMemory} outside FlexRAM (i.MX RT1060: OCRAM2, 512 KiB, which
     *     FlexRAM's OCRAM banks continue without a gap)
     * @param itcmMinBytes what code needs in ITCM (0 when everything executes in place from flash)
     */
    public record FlexRam(int banks, int bankBytes, String dtcmMemory, String ocramMemory, long ocramFixedBytes,
            long itcmMinBytes,
            int defaultItcmBanks, int defaultDtcmBanks) {
    }

    public record Qemu(String machine, List<String> extraArgs) {
        public Qemu {
            extraArgs = List.copyOf(extraArgs);
        }
    }

    public enum ImageFormat {
        ELF("elf"), BIN("bin"), HEX("hex");

        private final String extension;

        ImageFormat(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    /** How to program a real board: args may contain {@code ${image}}. */
    public record Flash(String tool, List<String> args, ImageFormat imageFormat, String installHint) {
        public Flash {
            args = List.copyOf(args);
        }
    }

    /** Boot structures a boot ROM expects in flash; kind "imxrt-flexspi-nor": FCB + IVT + boot data. */
    public record BootHeader(String kind, long fcbOffset, long ivtOffset) {
    }

    public boolean isQemu() {
        return qemu.isPresent();
    }

    public boolean isHost() {
        return toolchain == Toolchain.HOST;
    }

    /** The arena memory entry of {@code memoryName}, if the arena may use that memory. */
    public Optional<ArenaMemory> arenaMemory(String memoryName) {
        return arenaMemories.stream().filter(a -> a.memory().equals(memoryName)).findFirst();
    }

    /** True if {@code memoryName} is off-chip RAM that the planner uses only on request. */
    public boolean isExternal(String memoryName) {
        return arenaMemory(memoryName).map(ArenaMemory::external).orElse(false);
    }

    public Optional<Memory> memory(String memoryName) {
        return memories.stream().filter(m -> m.name().equals(memoryName)).findFirst();
    }

    /**
     * The memory a role field names, e.g. {@code requireMemory(board.weightsMemory(), "weights")};
     * fails with one line if the board has none (the host board has no memories).
     */
    public Memory requireMemory(Optional<String> memoryName, String role) {
        String wanted = memoryName.orElseThrow(() -> new BoardException(
                "board " + name + " has no " + role + " memory (board.json field " + role + "_memory)"));
        return memory(wanted).orElseThrow(() -> new BoardException(
                "board " + name + ": " + role + "_memory '" + wanted + "' is not one of its memories"));
    }

    public Optional<Path> linkerScriptPath() {
        return linkerScript.map(dir::resolve);
    }

    /** Linker input section of the arena when it goes to {@link #arenaMemory()}. */
    public static final String ARENA_SECTION = ".bss.tf_arena";
    /** Linker input section of the arena when it goes to {@link #fastArenaMemory()}. */
    public static final String FAST_ARENA_SECTION = ".bss.tf_arena_fast";
    /** RAM the fast memory keeps free beside arena and stack for the application's data, bss and heap. */
    public static final long FAST_MEMORY_RESERVE = 16 * 1024;

    /**
     * Where an arena of {@code arenaBytes} goes: the fast memory (e.g. i.MX RT's single-cycle DTCM) when it holds
     * the arena, the stack and {@link #FAST_MEMORY_RESERVE} (they share it), else the arena memory.
     */
    public String arenaSection(long arenaBytes) {
        Optional<Memory> fast = fastArenaMemory.flatMap(this::memory);
        if (fast.isEmpty()) {
            return ARENA_SECTION;
        }
        long shared = ramMemory.equals(fastArenaMemory) ? stackBytes + FAST_MEMORY_RESERVE : FAST_MEMORY_RESERVE;
        return arenaBytes + shared <= fast.get().length() ? FAST_ARENA_SECTION : ARENA_SECTION;
    }
}
