package io.tinyforge.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a source tree against a table of which module may use which: every module's pom (its io.tinyforge
 * dependencies, direct and transitive, and the third-party libraries it must not have) and every class name its
 * Java sources mention (imports and fully qualified names), resolved to the module that defines the class.
 * A class name is resolved from the sources themselves, so a package split over two modules (io.tinyforge.board:
 * descriptors in model, the rest in mcu-target) is still told apart class by class.
 */
final class ModuleBoundaries {
  static final String GROUP = "io.tinyforge";
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\bio\\.tinyforge(?:\\.[a-z][a-z0-9_]*)*\\.[A-Z][A-Za-z0-9_]*");
  private static final Pattern WILDCARD_IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?(io\\.tinyforge(?:\\.[a-z][a-z0-9_]*)*)\\.\\*;", Pattern.MULTILINE);
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
  /** Source folders of a module, including the build-time generator and what generate-sources wrote. */
  private static final List<String> SOURCE_DIRS =
      List.of("src/main/java", "src/test/java", "src/build/java", "target/generated-sources");

  /** A third-party library: its Maven groupId and the Java package its classes live in. */
  record Library(String groupId, String javaPackage) {}

  /** One module's rules: the tinyforge modules it may use and the third-party libraries it must not. */
  record Rule(Set<String> mayUse, Set<Library> forbiddenLibraries) {
    Rule {
      mayUse = Set.copyOf(mayUse);
      forbiddenLibraries = Set.copyOf(forbiddenLibraries);
    }
  }

  private final Path root;
  private final Map<String, Rule> rules;
  /** Maven artifactId to module folder (they differ for the Maven plugin). */
  private final Map<String, String> folderOfArtifact = new TreeMap<>();
  private final Map<String, Set<String>> dependencies = new TreeMap<>();
  private final Map<String, Set<String>> libraries = new TreeMap<>();
  /** Fully qualified class name to the module folders defining it, and package to module folders. */
  private final Map<String, Set<String>> classOwners = new TreeMap<>();
  private final Map<String, Set<String>> packageOwners = new TreeMap<>();

  ModuleBoundaries(Path root, Map<String, Rule> rules) {
    this.root = root;
    this.rules = new LinkedHashMap<>(rules);
  }

  /** Every violation, one line each; empty when the tree keeps the rules. */
  List<String> violations() {
    List<String> problems = new ArrayList<>();
    List<String> modules = modulesOf(root.resolve("pom.xml"));
    Set<String> unlisted = new TreeSet<>(modules);
    unlisted.removeAll(rules.keySet());
    Set<String> missing = new TreeSet<>(rules.keySet());
    missing.removeAll(modules);
    if (!unlisted.isEmpty()) {
      problems.add("modules " + unlisted + " have no rule: add them to the module table with what they may use");
    }
    if (!missing.isEmpty()) {
      problems.add("the module table names " + missing + ", which the root pom does not list");
    }
    modules.forEach(this::readPom);
    // poms name artifacts; the rules and the sources name module folders
    dependencies.replaceAll((m, deps) -> {
      Set<String> folders = new TreeSet<>();
      deps.forEach(d -> folders.add(folderOfArtifact.getOrDefault(d, d)));
      return folders;
    });
    modules.forEach(this::indexSources);
    for (String module : modules) {
      Rule rule = rules.get(module);
      if (rule == null) {
        continue;
      }
      checkPom(module, rule, problems);
      checkSources(module, rule, problems);
    }
    return problems;
  }

  private void checkPom(String module, Rule rule, List<String> problems) {
    for (String dep : dependencies.get(module)) {
      if (!rule.mayUse().contains(dep)) {
        problems.add(module + "/pom.xml depends on " + dep + ", which " + module + " may not use");
      }
    }
    for (String dep : transitiveDependencies(module)) {
      if (!dependencies.get(module).contains(dep) && !rule.mayUse().contains(dep)) {
        problems.add(module + " reaches " + dep + " through its dependencies, which " + module + " may not use");
      }
    }
    for (Library library : rule.forbiddenLibraries()) {
      if (libraries.get(module).contains(library.groupId())) {
        problems.add(module + "/pom.xml depends on " + library.groupId() + ", a library " + module
            + " must not have");
      }
    }
  }

  private void checkSources(String module, Rule rule, List<String> problems) {
    for (Path file : javaFiles(module)) {
      String text = read(file);
      String own = packageOf(text);
      String where = root.relativize(file).toString();
      Set<String> reported = new TreeSet<>();
      Matcher m = CLASS_NAME.matcher(text);
      while (m.find()) {
        String owner = ownerOf(m.group(), own, module);
        if (owner != null && !owner.equals(module) && !rule.mayUse().contains(owner) && reported.add(m.group())) {
          problems.add(where + " uses " + m.group() + " of " + owner + ", which " + module + " may not use");
        }
      }
      Matcher w = WILDCARD_IMPORT.matcher(text);
      while (w.find()) {
        for (String owner : packageOwners.getOrDefault(w.group(1), Set.of())) {
          if (!owner.equals(module) && !rule.mayUse().contains(owner)) {
            problems.add(where + " imports " + w.group(1) + ".* of " + owner + ", which " + module + " may not use");
          }
        }
      }
      for (Library library : rule.forbiddenLibraries()) {
        if (Pattern.compile("^import\\s+(?:static\\s+)?" + Pattern.quote(library.javaPackage()) + "\\.",
            Pattern.MULTILINE).matcher(text).find()) {
          problems.add(where + " imports " + library.javaPackage() + ", a library " + module + " must not use");
        }
      }
    }
  }

  /**
   * The module defining a mentioned class: found among the indexed classes, else (a nested class, or a member
   * after a static import) by dropping the last name; null when no module of this tree defines it.
   */
  private String ownerOf(String name, String ownPackage, String module) {
    String candidate = name;
    while (candidate.lastIndexOf('.') > 0) {
      Set<String> owners = classOwners.get(candidate);
      if (owners != null) {
        return owners.contains(module) ? module : owners.iterator().next();
      }
      String parent = candidate.substring(0, candidate.lastIndexOf('.'));
      if (!Character.isUpperCase(parent.charAt(parent.lastIndexOf('.') + 1))) {
        break;
      }
      candidate = parent;
    }
    return null;
  }

  private Set<String> transitiveDependencies(String module) {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(dependencies.getOrDefault(module, Set.of()));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(dependencies.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }

  private void readPom(String module) {
    Element project = parse(root.resolve(module).resolve("pom.xml")).getDocumentElement();
    folderOfArtifact.put(childText(project, "artifactId"), module);
    Set<String> tinyforge = new TreeSet<>();
    Set<String> others = new TreeSet<>();
    Element deps = child(project, "dependencies");
    if (deps != null) {
      for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element dep && dep.getTagName().equals("dependency")) {
          String group = childText(dep, "groupId");
          if (GROUP.equals(group)) {
            tinyforge.add(childText(dep, "artifactId"));
          } else {
            others.add(group);
          }
        }
      }
    }
    dependencies.put(module, tinyforge);
    libraries.put(module, others);
  }

  private void indexSources(String module) {
    for (Path file : javaFiles(module)) {
      String pkg = packageOf(read(file));
      String simple = file.getFileName().toString().replaceFirst("\\.java$", "");
      classOwners.computeIfAbsent(pkg + "." + simple, k -> new TreeSet<>()).add(module);
      packageOwners.computeIfAbsent(pkg, k -> new TreeSet<>()).add(module);
    }
  }

  private List<Path> javaFiles(String module) {
    List<Path> files = new ArrayList<>();
    for (String dir : SOURCE_DIRS) {
      Path d = root.resolve(module).resolve(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(d)) {
        s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  static List<String> modulesOf(Path rootPom) {
    Element modules = child(parse(rootPom).getDocumentElement(), "modules");
    List<String> names = new ArrayList<>();
    if (modules != null) {
      for (Node n = modules.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("module")) {
          names.add(e.getTextContent().trim());
        }
      }
    }
    return names;
  }

  private static String packageOf(String source) {
    Matcher m = PACKAGE.matcher(source);
    return m.find() ? m.group(1) : "";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document parse(Path pom) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  private static String childText(Element parent, String tag) {
    Element e = child(parent, tag);
    return e == null ? null : e.getTextContent().trim();
  }
}
