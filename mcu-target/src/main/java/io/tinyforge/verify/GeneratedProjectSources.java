package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Picks the model's part out of a C project the code generator wrote: every {@code .c} except the application
 * entry points (the verification app brings its own main), every folder holding a header, and MODEL_HASH from
 * {@code model.h}.
 */
public final class GeneratedProjectSources {
  /** Files of a generated project that belong to its application, not to the model. */
  static final Set<String> APP_FILES = Set.of("main.c", "app_main.c");
  /**
   * Folders of a generated project that hold its own copy of the board's startup and platform layer: the
   * verification build links the board's files itself, so taking these too would define every symbol twice.
   */
  static final Set<String> BOARD_DIRS = Set.of("board", "platform");
  private static final Pattern HASH = Pattern.compile("#define\\s+MODEL_HASH\\s+\"([^\"]*)\"");

  private GeneratedProjectSources() {}

  public static GeneratedModel collect(Path projectDir) {
    List<Path> sources = new ArrayList<>();
    List<Path> includes = new ArrayList<>();
    Path modelH = null;
    try (Stream<Path> s = Files.walk(projectDir)) {
      for (Path p : s.sorted().toList()) {
        Path rel = projectDir.relativize(p);
        if (rel.getNameCount() > 1 && BOARD_DIRS.contains(rel.getName(0).toString())) {
          continue;
        }
        String n = p.getFileName().toString();
        if (Files.isRegularFile(p) && n.endsWith(".c") && !APP_FILES.contains(n)) {
          sources.add(p);
        } else if (Files.isRegularFile(p) && n.endsWith(".h")) {
          if (!includes.contains(p.getParent())) {
            includes.add(p.getParent());
          }
          if (n.equals("model.h") && modelH == null) {
            modelH = p;
          }
        }
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read the generated project "
          + projectDir + " (" + e.getMessage() + ")");
    }
    if (modelH == null) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "the code generator wrote no model.h into "
          + projectDir + "; verify needs its model_invoke/model_input/model_output/model_tensor API");
    }
    return new GeneratedModel(sources, includes, externalRamDefines(projectDir), modelHash(modelH),
        memorySplitFlags(projectDir));
  }

  private static final Pattern EXTRA_DEFINES = Pattern.compile("(?m)^DEFINES \\+= (.*)$");
  private static final Pattern DEFINE = Pattern.compile("-D(\\w+)(?:=(\\w+))?");

  /**
   * The -D flags the generated Makefile adds for external RAM the plan uses (its start-up set-up, e.g. the EVK's
   * SDRAM boot-time initialisation): the verification build needs them as much as the project's own.
   */
  static Map<String, String> externalRamDefines(Path projectDir) {
    Path makefile = projectDir.resolve("Makefile");
    Map<String, String> defines = new java.util.LinkedHashMap<>();
    if (!Files.isRegularFile(makefile)) {
      return defines;
    }
    try {
      Matcher line = EXTRA_DEFINES.matcher(Files.readString(makefile, StandardCharsets.UTF_8));
      while (line.find()) {
        Matcher d = DEFINE.matcher(line.group(1));
        while (d.find()) {
          defines.put(d.group(1), d.group(2) == null ? "1" : d.group(2));
        }
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read " + makefile + " ("
          + e.getMessage() + ")");
    }
    return defines;
  }

  private static final Pattern DEFSYM = Pattern.compile("-Wl,--defsym=(\\w+)=(0x[0-9a-fA-F]+|\\d+)");

  /**
   * The linker symbols of the memory split the planner chose (i.MX RT FlexRAM: DTCM and OCRAM lengths, GPR
   * values), as the generated Makefile passes them; the stack size is the verification build's own.
   */
  static List<String> memorySplitFlags(Path projectDir) {
    Path makefile = projectDir.resolve("Makefile");
    List<String> flags = new ArrayList<>();
    if (!Files.isRegularFile(makefile)) {
      return flags;
    }
    try {
      Matcher m = DEFSYM.matcher(Files.readString(makefile, StandardCharsets.UTF_8));
      while (m.find()) {
        if (!m.group(1).equals("__stack_size")) {
          flags.add(m.group());
        }
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read " + makefile + " ("
          + e.getMessage() + ")");
    }
    return flags;
  }

  /** The string MODEL_HASH is defined to in a model.h. */
  public static String modelHash(Path modelH) {
    try {
      Matcher m = HASH.matcher(Files.readString(modelH, StandardCharsets.UTF_8));
      if (!m.find()) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, modelH
            + " defines no MODEL_HASH string; verify cannot tell which model a target runs");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read " + modelH + " ("
          + e.getMessage() + ")");
    }
  }
}
