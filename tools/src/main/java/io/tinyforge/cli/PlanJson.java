package io.tinyforge.cli;

import com.google.gson.GsonBuilder;
import io.tinyforge.cgen.ArenaLayout;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.memory.Buffer;
import io.tinyforge.memory.MemoryPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code plan --json FILE}: the plan as data. Fields: {@code model}, {@code arenaBytes} (all regions),
 * {@code lowerBound}, {@code alignment}, {@code regions} (each: {@code memory}, {@code origin}, {@code section},
 * {@code capacity}, {@code usedBytes}, {@code buffers}: label, virtual {@code offset}, {@code localOffset} in the
 * region, {@code bytes}, {@code firstOp}, {@code lastOp}), {@code flexram} (banks and GPR values, or null),
 * {@code inputs} (model inputs kept outside the arena: memory, section, bytes, external; or null) and
 * {@code externalRam} ("unused", or per external memory in use: arenaBytes, inputBytes, expectedSlowdown,
 * slowdownSource, initDefine); every region also says whether it is {@code external}.
 */
final class PlanJson {
  private PlanJson() {}

  static String of(Path model, LoweredModel lowered, MemoryPlan plan, ArenaLayout.Layout layout,
      io.tinyforge.board.Board board) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model", model.toString());
    long total = 0;
    for (int r = 0; r < plan.regionCount(); r++) {
      total += plan.regionBytes(r);
    }
    root.put("arenaBytes", total);
    root.put("lowerBound", plan.lowerBound());
    root.put("alignment", plan.alignment());
    List<Map<String, Object>> regions = new ArrayList<>();
    for (int r = 0; r < plan.regionCount(); r++) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (layout != null) {
        ArenaLayout.Region region = layout.regions().get(r);
        m.put("memory", region.memory());
        m.put("origin", String.format("0x%08x", region.origin()));
        m.put("section", region.section());
        m.put("capacity", region.capacity());
        m.put("external", board != null && board.isExternal(region.memory()));
      } else {
        m.put("memory", "arena");
      }
      m.put("usedBytes", plan.regionBytes(r));
      List<Map<String, Object>> buffers = new ArrayList<>();
      for (Buffer b : plan.buffers()) {
        int off = plan.offsetOf(b);
        if (plan.regionOf(off) != r) {
          continue;
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("label", b.label());
        x.put("offset", off);
        x.put("localOffset", off - plan.regionBase(r));
        x.put("bytes", b.bytes());
        x.put("firstOp", lowered.ops().get(b.firstStep()).operator().index());
        x.put("lastOp", lowered.ops().get(b.lastStep()).operator().index());
        buffers.add(x);
      }
      m.put("buffers", buffers);
      regions.add(m);
    }
    root.put("regions", regions);
    Map<String, Object> flexram = null;
    if (layout != null && layout.split().isPresent()) {
      var s = layout.split().get();
      flexram = new LinkedHashMap<>();
      flexram.put("itcmBanks", s.itcmBanks());
      flexram.put("dtcmBanks", s.dtcmBanks());
      flexram.put("ocramBanks", s.ocramBanks());
      flexram.put("bankBytes", s.bankBytes());
      flexram.put("gpr17", String.format("0x%08x", s.gpr17()));
      flexram.put("gpr16Bits", String.format("0x%x", s.gpr16Bits()));
      flexram.put("gpr14Sizes", String.format("0x%08x", s.gpr14Sizes()));
    }
    root.put("flexram", flexram);
    Object inputs = null;
    if (layout != null && layout.inputs().isPresent()) {
      ArenaLayout.InputPlace p = layout.inputs().get();
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("memory", p.memory());
      x.put("section", p.section());
      x.put("bytes", p.bytes());
      x.put("external", board != null && board.isExternal(p.memory()));
      inputs = x;
    }
    root.put("inputs", inputs);
    // "unused", or per external memory the plan uses: its bytes and expected slowdown against on-chip RAM
    Object external = "unused";
    if (layout != null && board != null && !ArenaLayout.externalInUse(board, layout).isEmpty()) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (io.tinyforge.board.Board.ArenaMemory a : ArenaLayout.externalInUse(board, layout)) {
        long arena = 0;
        for (int r = 0; r < layout.regions().size(); r++) {
          arena += layout.regions().get(r).memory().equals(a.memory()) ? plan.regionBytes(r) : 0;
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("memory", a.memory());
        x.put("arenaBytes", arena);
        x.put("inputBytes", layout.inputs().filter(p -> p.memory().equals(a.memory()))
            .map(ArenaLayout.InputPlace::bytes).orElse(0L));
        x.put("expectedSlowdown", a.slowdown().orElse(null));
        x.put("slowdownSource", a.slowdownSource().orElse(null));
        x.put("initDefine", a.initDefine().orElse(null));
        list.add(x);
      }
      external = list;
    }
    root.put("externalRam", external);
    return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root) + "\n";
  }
}
