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
 * region, {@code bytes}, {@code firstOp}, {@code lastOp}), {@code flexram} (banks and GPR values, or null) and
 * {@code externalRam} ("unused").
 */
final class PlanJson {
  private PlanJson() {}

  static String of(Path model, LoweredModel lowered, MemoryPlan plan, ArenaLayout.Layout layout) {
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
    root.put("externalRam", "unused");
    return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root) + "\n";
  }
}
