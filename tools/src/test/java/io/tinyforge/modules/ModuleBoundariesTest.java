package io.tinyforge.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.modules.ModuleBoundaries.Library;
import io.tinyforge.modules.ModuleBoundaries.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module rules of the build: dependencies point one way (model at the bottom; codegen, mcu-sim and mcu-target
 * each on model only; tools and the Maven plugin on top). The simulator knows nothing of emitted C, the compiler
 * never executes a model, and the target side meets the compiler and the simulator only through interfaces that
 * tools wires up.
 */
class ModuleBoundariesTest {
  private static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();

  static final Library FREEMARKER = new Library("org.freemarker", "freemarker");
  static final Library JAVAPOET = new Library("com.squareup", "com.squareup.javapoet");
  static final Library SERIAL_PORTS = new Library("com.fazecast", "com.fazecast");

  /** Module folder to its rule. A new module needs a line here (the test fails until it has one). */
  static final Map<String, Rule> RULES = Map.of(
      // reader, IR, checks, Prepare arithmetic, board descriptors: renders nothing, runs nothing
      "model", new Rule(Set.of(), Set.of(FREEMARKER, JAVAPOET, SERIAL_PORTS)),
      // planning and emission: never executes a model (no simulator, no target, no serial port)
      "codegen", new Rule(Set.of("model"), Set.of(SERIAL_PORTS, JAVAPOET)),
      // the pure simulator: knows nothing of emitted C or of targets
      "mcu-sim", new Rule(Set.of("model"), Set.of(FREEMARKER, JAVAPOET, SERIAL_PORTS)),
      // boards, builds, QEMU, flashing, protocol, verification: the compiler and simulator only via interfaces
      "mcu-target", new Rule(Set.of("model"), Set.of()),
      "tools", new Rule(Set.of("model", "codegen", "mcu-sim", "mcu-target"), Set.of()),
      "maven-plugin", new Rule(Set.of("model", "codegen", "mcu-sim", "mcu-target", "tools"), Set.of()));

  @Test
  void theRepositoryKeepsTheModuleRules() {
    List<String> problems = new ModuleBoundaries(ROOT, RULES).violations();
    assertTrue(problems.isEmpty(), problems.size() + " module rule violations:\n  " + String.join("\n  ", problems));
  }

  @Test
  void everyModuleHasSourcesWhereTheCheckLooks() {
    for (String module : ModuleBoundaries.modulesOf(ROOT.resolve("pom.xml"))) {
      assertTrue(Files.isDirectory(ROOT.resolve(module).resolve("src/main/java")),
          module + " has no src/main/java: the check would see nothing of it");
    }
  }

  /** A small tree breaking each kind of rule once, so the check is seen to catch them. */
  @Test
  void forbiddenDependenciesAndImportsAreReported(@TempDir Path tree) throws IOException {
    pom(tree, "pom.xml", "tinyforge-parent", "<modules><module>base</module><module>sim</module>"
        + "<module>emit</module></modules>");
    pom(tree, "base/pom.xml", "base", "");
    pom(tree, "emit/pom.xml", "emit", "<dependencies>" + dep("io.tinyforge", "base") + "</dependencies>");
    pom(tree, "sim/pom.xml", "sim", "<dependencies>" + dep("io.tinyforge", "base") + dep("io.tinyforge", "emit")
        + dep("org.freemarker", "freemarker") + "</dependencies>");
    java(tree, "base/src/main/java/io/tinyforge/ir/Graph.java", "package io.tinyforge.ir;\nclass Graph {}\n");
    java(tree, "emit/src/main/java/io/tinyforge/c/Emitter.java",
        "package io.tinyforge.c;\nimport io.tinyforge.ir.Graph;\nclass Emitter {}\n");
    java(tree, "sim/src/main/java/io/tinyforge/run/Sim.java", "package io.tinyforge.run;\n"
        + "import io.tinyforge.ir.Graph;\nimport freemarker.template.Template;\n"
        + "class Sim { Object e = new io.tinyforge.c.Emitter(); }\n");
    Map<String, Rule> rules = Map.of(
        "base", new Rule(Set.of(), Set.of()),
        "emit", new Rule(Set.of("base"), Set.of()),
        "sim", new Rule(Set.of("base"), Set.of(FREEMARKER)));

    List<String> problems = new ModuleBoundaries(tree, rules).violations();

    assertEquals(List.of(
        "sim/pom.xml depends on emit, which sim may not use",
        "sim/pom.xml depends on org.freemarker, a library sim must not have",
        "sim/src/main/java/io/tinyforge/run/Sim.java uses io.tinyforge.c.Emitter of emit, which sim may not use",
        "sim/src/main/java/io/tinyforge/run/Sim.java imports freemarker, a library sim must not use"), problems);
  }

  @Test
  void aModuleWithoutARuleIsReported(@TempDir Path tree) throws IOException {
    pom(tree, "pom.xml", "tinyforge-parent", "<modules><module>base</module><module>extra</module></modules>");
    pom(tree, "base/pom.xml", "base", "");
    pom(tree, "extra/pom.xml", "extra", "");

    List<String> problems = new ModuleBoundaries(tree, Map.of("base", new Rule(Set.of(), Set.of()))).violations();

    assertEquals(List.of("modules [extra] have no rule: add them to the module table with what they may use"),
        problems);
  }

  private static String dep(String group, String artifact) {
    return "<dependency><groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId></dependency>";
  }

  private static void pom(Path tree, String path, String artifactId, String body) throws IOException {
    java(tree, path, "<project><groupId>io.tinyforge</groupId><artifactId>" + artifactId + "</artifactId>"
        + body + "</project>");
  }

  private static void java(Path tree, String path, String text) throws IOException {
    Path file = tree.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
