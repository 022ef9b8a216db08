package io.tinyforge.board;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.tinyforge.board.Board.ArenaMemory;
import io.tinyforge.board.Board.BootHeader;
import io.tinyforge.board.Board.FlexRam;
import io.tinyforge.board.Board.Counter;
import io.tinyforge.board.Board.Flash;
import io.tinyforge.board.Board.ImageFormat;
import io.tinyforge.board.Board.Memory;
import io.tinyforge.board.Board.MemoryKind;
import io.tinyforge.board.Board.Qemu;
import io.tinyforge.board.Board.Toolchain;
import io.tinyforge.board.Board.Uart;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads and validates one board.json; every problem becomes a one-line {@link BoardException}. */
final class BoardDescriptorReader {
    private static final Set<String> COUNTER_KINDS = Set.of("systick-icount", "dwt-cyccnt", "host-clock");
    private static final Set<String> COUNTER_UNITS = Set.of("instructions", "cycles", "ns");

    private final Path file;
    private final String label;

    private BoardDescriptorReader(Path file, String label) {
        this.file = file;
        this.label = label;
    }

    /** @param label how the file is named in messages, e.g. {@code boards/teensy41/board.json} */
    static Board read(Path file, String label) {
        return new BoardDescriptorReader(file, label).read();
    }

    private Board read() {
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw fail("the top level must be a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new BoardException(label + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException e) {
            throw fail("not valid JSON (" + firstLine(e.getMessage()) + ")");
        }

        String name = string(root, "name");
        String dirName = file.getParent().getFileName().toString();
        if (!name.equals(dirName)) {
            throw fail("name '" + name + "' differs from its folder '" + dirName + "'; make them equal");
        }
        Toolchain toolchain = toolchain(string(root, "toolchain"));
        List<Memory> memories = memories(array(root, "memories"));
        Optional<String> code = optionalMemoryName(root, "code_memory", memories);
        Optional<String> ram = optionalMemoryName(root, "ram_memory", memories);
        Optional<String> weights = optionalMemoryName(root, "weights_memory", memories);
        Optional<String> arena = optionalMemoryName(root, "arena_memory", memories);
        Optional<String> fastArena = optionalMemoryName(root, "fast_arena_memory", memories);
        if (toolchain == Toolchain.ARM_NONE_EABI) {
            requireForArm("code_memory", code);
            requireForArm("ram_memory", ram);
            requireForArm("weights_memory", weights);
            requireForArm("arena_memory", arena);
        }
        int alignment = intField(root, "alignment");
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw fail("field 'alignment' must be a power of two, got " + alignment);
        }
        int stackBytes = intField(root, "stack_bytes");
        if (stackBytes < 0 || stackBytes % 8 != 0) {
            throw fail("field 'stack_bytes' must be a non-negative multiple of 8, got " + stackBytes);
        }
        Optional<String> linkerScript = optionalString(root, "linker_script");
        if (toolchain == Toolchain.ARM_NONE_EABI && linkerScript.isEmpty()) {
            throw fail("field 'linker_script' is missing; an arm-none-eabi board needs it");
        }
        return new Board(
                name,
                string(root, "description"),
                string(root, "core"),
                stringList(array(root, "arch_flags"), "arch_flags"),
                toolchain,
                memories,
                code, ram, weights, arena, fastArena,
                optionalHex(root, "vector_table"),
                alignment,
                stackBytes,
                uart(object(root, "uart")),
                longField(root, "clock_hz"),
                counter(object(root, "counter")),
                optionalObject(root, "qemu").map(this::qemu),
                optionalObject(root, "flash").map(this::flash),
                optionalObject(root, "boot_header").map(this::bootHeader),
                linkerScript,
                stringList(array(root, "sources"), "sources"),
                file.getParent(),
                root.has("aliases") ? stringList(array(root, "aliases"), "aliases") : List.of(),
                arenaMemories(root, memories),
                optionalObject(root, "flexram").map(o -> flexram(o, memories)));
    }

    private List<ArenaMemory> arenaMemories(JsonObject root, List<Memory> memories) {
        if (!root.has("arena_memories")) {
            return List.of();
        }
        List<ArenaMemory> result = new ArrayList<>();
        for (JsonElement e : array(root, "arena_memories")) {
            if (!e.isJsonObject()) {
                throw fail("every entry of 'arena_memories' must be an object {\"memory\": ..., \"section\": ...}");
            }
            JsonObject o = e.getAsJsonObject();
            String memory = string(o, "memory");
            Optional<Memory> m = memories.stream().filter(x -> x.name().equals(memory)).findFirst();
            if (m.isEmpty() || m.get().kind() != MemoryKind.RAM) {
                throw fail("arena_memories names '" + memory + "', which is not a ram memory of 'memories'");
            }
            if (result.stream().anyMatch(a -> a.memory().equals(memory))) {
                throw fail("arena_memories lists '" + memory + "' twice");
            }
            Optional<String> input = o.has("input_section") ? Optional.of(string(o, "input_section"))
                    : Optional.empty();
            boolean external = false;
            if (o.has("external")) {
                JsonElement x = o.get("external");
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isBoolean()) {
                    throw fail("arena_memories '" + memory + "': 'external' must be true or false");
                }
                external = x.getAsBoolean();
            }
            Optional<String> init = optionalString(o, "init_define");
            init.ifPresent(d -> {
                if (!d.matches("[A-Z][A-Z0-9_]*")) {
                    throw fail("arena_memories '" + memory + "': 'init_define' must be a C macro name in capitals, got \""
                            + d + "\"");
                }
            });
            Optional<Double> slowdown = Optional.empty();
            if (o.has("slowdown")) {
                double v;
                try {
                    v = o.get("slowdown").getAsDouble();
                } catch (RuntimeException bad) {
                    throw fail("arena_memories '" + memory + "': 'slowdown' must be a number (times slower than on-chip RAM)");
                }
                if (!(v >= 1)) {
                    throw fail("arena_memories '" + memory + "': 'slowdown' must be at least 1, got " + v);
                }
                slowdown = Optional.of(v);
            }
            Optional<String> source = optionalString(o, "slowdown_source");
            if (external && (slowdown.isEmpty() || source.isEmpty())) {
                throw fail("arena_memories '" + memory + "' is external: give 'slowdown' (times slower than on-chip "
                        + "RAM) and 'slowdown_source' (where the figure comes from)");
            }
            if (external && input.isEmpty()) {
                throw fail("arena_memories '" + memory + "' is external: give it an 'input_section' too");
            }
            result.add(new ArenaMemory(memory, string(o, "section"), input, external, init, slowdown, source));
        }
        return result;
    }

    private FlexRam flexram(JsonObject o, List<Memory> memories) {
        int banks = intField(o, "banks");
        int bankBytes = intField(o, "bank_bytes");
        String dtcm = string(o, "dtcm_memory");
        String ocram = string(o, "ocram_memory");
        for (String m : List.of(dtcm, ocram)) {
            if (memories.stream().noneMatch(x -> x.name().equals(m))) {
                throw fail("flexram names memory '" + m + "', which is not in 'memories'");
            }
        }
        int itcm = intField(o, "default_itcm_banks");
        int dtcmBanks = intField(o, "default_dtcm_banks");
        if (banks <= 0 || bankBytes <= 0 || itcm < 0 || dtcmBanks < 0 || itcm + dtcmBanks > banks) {
            throw fail("flexram: banks, bank_bytes and the default ITCM/DTCM banks must be positive and add up to at "
                    + "most 'banks'");
        }
        return new FlexRam(banks, bankBytes, dtcm, ocram, longField(o, "ocram_fixed_bytes"),
                longField(o, "itcm_min_bytes"), itcm, dtcmBanks);
    }

    private void requireForArm(String field, Optional<?> value) {
        if (value.isEmpty()) {
            throw fail("field '" + field + "' is missing; an arm-none-eabi board needs it");
        }
    }

    private Toolchain toolchain(String value) {
        for (Toolchain t : Toolchain.values()) {
            if (t.jsonName().equals(value)) {
                return t;
            }
        }
        throw fail("field 'toolchain' must be \"arm-none-eabi\" or \"host\", got \"" + value + "\"");
    }

    private List<Memory> memories(JsonArray array) {
        List<Memory> result = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonObject()) {
                throw fail("every entry of 'memories' must be an object");
            }
            JsonObject m = e.getAsJsonObject();
            String name = string(m, "name");
            if (result.stream().anyMatch(other -> other.name().equals(name))) {
                throw fail("memory '" + name + "' is listed twice");
            }
            String kind = string(m, "kind");
            if (!kind.equals("flash") && !kind.equals("ram")) {
                throw fail("memory '" + name + "': 'kind' must be \"flash\" or \"ram\", got \"" + kind + "\"");
            }
            String access = string(m, "access");
            if (!access.equals("rx") && !access.equals("rwx")) {
                throw fail("memory '" + name + "': 'access' must be \"rx\" or \"rwx\", got \"" + access + "\"");
            }
            long length = longField(m, "length");
            if (length <= 0) {
                throw fail("memory '" + name + "': 'length' must be positive");
            }
            result.add(new Memory(name, hex(m, "origin"), length, MemoryKind.valueOf(kind.toUpperCase(Locale.ROOT)), access));
        }
        return result;
    }

    private Optional<String> optionalMemoryName(JsonObject root, String field, List<Memory> memories) {
        Optional<String> value = optionalString(root, field);
        value.ifPresent(v -> {
            if (memories.stream().noneMatch(m -> m.name().equals(v))) {
                throw fail("field '" + field + "' names memory '" + v + "', which is not in 'memories'");
            }
        });
        return value;
    }

    private Uart uart(JsonObject o) {
        return new Uart(string(o, "kind"), optionalHex(o, "base"), intField(o, "baud"), optionalString(o, "connection"));
    }

    private Counter counter(JsonObject o) {
        String kind = string(o, "kind");
        if (!COUNTER_KINDS.contains(kind)) {
            throw fail("counter 'kind' must be one of " + COUNTER_KINDS + ", got \"" + kind + "\"");
        }
        String unit = string(o, "unit");
        if (!COUNTER_UNITS.contains(unit)) {
            throw fail("counter 'unit' must be one of " + COUNTER_UNITS + ", got \"" + unit + "\"");
        }
        Optional<BigDecimal> perTick = Optional.empty();
        if (o.has("instructions_per_tick") && !o.get("instructions_per_tick").isJsonNull()) {
            try {
                perTick = Optional.of(o.get("instructions_per_tick").getAsBigDecimal());
            } catch (RuntimeException e) {
                throw fail("counter 'instructions_per_tick' must be a number");
            }
        }
        if (kind.equals("systick-icount") && perTick.isEmpty()) {
            throw fail("counter 'instructions_per_tick' is missing; a systick-icount counter needs it");
        }
        return new Counter(kind, unit, perTick);
    }

    private Qemu qemu(JsonObject o) {
        return new Qemu(string(o, "machine"),
                o.has("extra_args") ? stringList(array(o, "extra_args"), "qemu.extra_args") : List.of());
    }

    private Flash flash(JsonObject o) {
        String format = string(o, "image_format");
        ImageFormat imageFormat;
        try {
            imageFormat = ImageFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fail("flash 'image_format' must be \"elf\", \"bin\" or \"hex\", got \"" + format + "\"");
        }
        List<String> args = stringList(array(o, "args"), "flash.args");
        if (args.stream().noneMatch(a -> a.contains("${image}"))) {
            throw fail("flash 'args' must contain ${image}");
        }
        String tool = string(o, "tool");
        return new Flash(tool, args, imageFormat, optionalString(o, "install_hint").orElse("install " + tool));
    }

    private BootHeader bootHeader(JsonObject o) {
        String kind = string(o, "kind");
        if (!kind.equals("imxrt-flexspi-nor")) {
            throw fail("boot_header 'kind' must be \"imxrt-flexspi-nor\", got \"" + kind + "\"");
        }
        return new BootHeader(kind, hex(o, "fcb_offset"), hex(o, "ivt_offset"));
    }

    // ---- typed field access ----

    private JsonElement required(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw fail("field '" + field + "' is missing");
        }
        return e;
    }

    private String string(JsonObject o, String field) {
        JsonElement e = required(o, field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw fail("field '" + field + "' must be a string");
        }
        return e.getAsString();
    }

    private Optional<String> optionalString(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? Optional.of(string(o, field)) : Optional.empty();
    }

    private long longField(JsonObject o, String field) {
        JsonElement e = required(o, field);
        try {
            return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        } catch (RuntimeException ex) {
            throw fail("field '" + field + "' must be an integer");
        }
    }

    private int intField(JsonObject o, String field) {
        long value = longField(o, field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw fail("field '" + field + "' is out of range: " + value);
        }
        return (int) value;
    }

    private long hex(JsonObject o, String field) {
        String text = string(o, field);
        if (!text.matches("0[xX][0-9a-fA-F]{1,8}")) {
            throw fail("field '" + field + "' must be a hex string like \"0x20000000\", got \"" + text + "\"");
        }
        return Long.parseLong(text.substring(2), 16);
    }

    private Optional<Long> optionalHex(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? Optional.of(hex(o, field)) : Optional.empty();
    }

    private JsonObject object(JsonObject o, String field) {
        JsonElement e = required(o, field);
        if (!e.isJsonObject()) {
            throw fail("field '" + field + "' must be an object");
        }
        return e.getAsJsonObject();
    }

    private Optional<JsonObject> optionalObject(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? Optional.of(object(o, field)) : Optional.empty();
    }

    private JsonArray array(JsonObject o, String field) {
        JsonElement e = required(o, field);
        if (!e.isJsonArray()) {
            throw fail("field '" + field + "' must be a list");
        }
        return e.getAsJsonArray();
    }

    private List<String> stringList(JsonArray array, String field) {
        List<String> result = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw fail("every entry of '" + field + "' must be a string");
            }
            result.add(e.getAsString());
        }
        return result;
    }

    private BoardException fail(String problem) {
        return new BoardException(label + ": " + problem + " (fields: boards/README.md)");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
