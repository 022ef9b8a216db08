package io.tinyforge.cgen;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.lower.Fusion;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.memory.MemoryPlan;
import io.tinyforge.memory.PatchPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Model + board -> the files of a self-contained C project: model.c/.h and model_weights.c/.h from the lowered
 * model and its memory plan, the app (main.c: a file runner on the host, one zero-input inference on a board), the
 * Makefile and CMakeLists.txt, and copies of the tfk runtime (and for a board, its startup, platform code and linker
 * script). Same inputs, same bytes.
 */
public final class ProjectGenerator {
  public static final String GENERATOR = "tinyforge 0.1.0";
  /** Template folder relative to the repository root. */
  public static final String TEMPLATE_DIR = "templates/project";

  private ProjectGenerator() {}

  public static CProject generate(Path repoRoot, Board board, LoweredModel lowered, byte[] modelFile,
      String modelFileName) {
    return generate(repoRoot, board, lowered, modelFile, modelFileName, 0);
  }

  /**
   * @param ramLimit the most arena bytes the plan may use (0: what the board's arena memory holds); over it the
   *     leading ops run as a patch stage, and when even that cannot fit the error names the smallest reachable peak
   */
  public static CProject generate(Path repoRoot, Board board, LoweredModel lowered, byte[] modelFile,
      String modelFileName, long ramLimit) {
    return generate(repoRoot, board, lowered, modelFile, modelFileName, ramLimit, Map.of());
  }

  /**
   * @param regionLimits at most this many arena bytes in the named arena memory (boards with arena_memories)
   */
  public static CProject generate(Path repoRoot, Board board, LoweredModel lowered, byte[] modelFile,
      String modelFileName, long ramLimit, Map<String, Long> regionLimits) {
    return generate(repoRoot, board, lowered, modelFile, modelFileName, ramLimit, regionLimits, null);
  }

  /**
   * @param inputMemory keep the model inputs in this memory of the board outside the arena (null: in the arena)
   */
  public static CProject generate(Path repoRoot, Board board, LoweredModel lowered, byte[] modelFile,
      String modelFileName, long ramLimit, Map<String, Long> regionLimits, String inputMemory) {
    // The firmware runs the fused schedule; the simulator, which verification compares with, the model as is.
    LoweredModel fused = Fusion.fuse(lowered).scheduled();
    ArenaLayout.Layout layout = ArenaLayout.plan(fused, board, ramLimit, regionLimits, inputMemory, modelFileName);
    PatchPlanner.Choice choice = layout.choice();
    LoweredModel scheduled = choice.scheduled();
    MemoryPlan plan = choice.plan();
    int used = 0;
    for (int r = 0; r < plan.regionCount(); r++) {
      used += plan.regionBytes(r) > 0 ? 1 : 0;
    }
    List<ProjectModel.ArenaArray> arenas = new ArrayList<>();
    for (ArenaLayout.Region r : layout.regions()) {
      arenas.add(new ProjectModel.ArenaArray(used > 1 ? r.symbol() : "tf_arena", r.section()));
    }
    TreeMap<String, byte[]> files = new TreeMap<>();
    Map<String, Path> runtime = runtimeFiles(repoRoot, board);
    List<String> boardSources = new ArrayList<>();
    for (String s : board.sources()) {
      boardSources.add(outPath(s, board));
    }
    Map<String, Object> data = ProjectModel.build(scheduled, plan, arenas, layout.inputs(), board, modelFileName,
        hash(modelFile), boardSources, GENERATOR);
    List<String> defsyms = new ArrayList<>();
    layout.linkerSymbols().forEach((k, v) -> defsyms.add(k + "=0x" + Long.toHexString(v)));
    data.put("linkerSymbols", defsyms);
    List<Map<String, Object>> externalRam = new ArrayList<>();
    for (Board.ArenaMemory a : ArenaLayout.externalInUse(board, layout)) {
      a.initDefine().ifPresent(d -> externalRam.add(Map.of("memory", a.memory(), "define", d)));
    }
    data.put("externalRam", externalRam);
    Templates t = new Templates(repoRoot.resolve(TEMPLATE_DIR));
    files.put("model.h", t.renderBytes("model.h.ftl", data));
    files.put("model.c", t.renderBytes("model.c.ftl", data));
    files.put("model_weights.h", t.renderBytes("model_weights.h.ftl", data));
    files.put("model_weights.c", t.renderBytes("model_weights.c.ftl", data));
    files.put("main.c", t.renderBytes(board.isHost() ? "main_host.c.ftl" : "main_mcu.c.ftl", data));
    files.put("Makefile", t.renderBytes("Makefile.ftl", data));
    files.put("CMakeLists.txt", t.renderBytes("CMakeLists.txt.ftl", data));
    for (Map.Entry<String, Path> e : runtime.entrySet()) {
      try {
        files.put(e.getKey(), Files.readAllBytes(e.getValue()));
      } catch (IOException ex) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read " + e.getValue() + " ("
            + ex.getMessage() + ")");
      }
    }
    long weightBytes = ((Number) ((Map<?, ?>) data.get("model")).get("weightBytes")).longValue();
    return new CProject(files, plan, weightBytes, layout);
  }

  /**
   * Arena bytes the board's arena memory can hold (minus the stack when both share it); 0 for the host (no limit).
   * Plans over it get patches; what still does not fit is refused later with both numbers.
   */
  public static long arenaCapacity(Board board) {
    if (board.isHost()) {
      return 0;
    }
    return board.arenaMemory().flatMap(board::memory).map(m -> {
      long stack = board.arenaMemory().equals(board.ramMemory()) ? board.stackBytes() : 0;
      return Math.max(1, m.length() - stack);
    }).orElse(0L);
  }

  /** First 8 bytes of the SHA-256 of the model file, as 16 lowercase hex digits. */
  public static String hash(byte[] modelFile) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(modelFile);
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The runtime copied into the project: tfk headers and kernels; for a board also its platform code (the
   * sources board.json lists, with every header of their folders and of firmware/platform) and the linker script.
   */
  static Map<String, Path> runtimeFiles(Path root, Board board) {
    TreeMap<String, Path> m = new TreeMap<>();
    addFolder(m, root.resolve("firmware/include"), "tfk/include/", ".h");
    addFolder(m, root.resolve("firmware/kernels"), "tfk/kernels/", ".c", ".h");
    if (board.isHost()) {
      return m;
    }
    Path platform = root.resolve("firmware/platform");
    addFolder(m, platform, "platform/", ".h");
    addFolder(m, platform.resolve("cortexm"), "platform/cortexm/", ".h");
    for (String s : board.sources()) {
      Path src = root.resolve(s);
      m.put(outPath(s, board), src);
      Path dir = src.getParent();
      if (dir.startsWith(platform)) {
        addFolder(m, dir, "platform/" + platform.relativize(dir).toString().replace('\\', '/') + "/", ".h");
      }
    }
    board.linkerScriptPath().ifPresent(p -> m.put("board/" + p.getFileName(), p));
    return m;
  }

  /** Where a board source (path relative to the repo root) goes in the project. */
  static String outPath(String repoRelative, Board board) {
    String s = repoRelative.replace('\\', '/');
    if (s.startsWith("firmware/platform/")) {
      return "platform/" + s.substring("firmware/platform/".length());
    }
    return "board/" + Path.of(s).getFileName();
  }

  private static void addFolder(Map<String, Path> m, Path dir, String prefix, String... suffixes) {
    if (!Files.isDirectory(dir)) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "runtime folder " + dir
          + " is missing; run from a complete tinyforge checkout (or set TINYFORGE_HOME)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        for (String suffix : suffixes) {
          if (Files.isRegularFile(p) && n.endsWith(suffix)) {
            m.put(prefix + n, p);
          }
        }
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot list " + dir);
    }
  }
}
