package io.tinyforge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.check.ModelChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the README's board and op lists equal to the boards/ folders and the checker's supported ops. */
class ReadmeTest {
  private static final Path ROOT = Path.of(System.getProperty("tinyforge.root", ".."));

  private static String section(String readme, String marker) {
    int start = readme.indexOf("<!-- " + marker);
    assertTrue(start >= 0, "README lacks the '" + marker + "' marker");
    int end = readme.indexOf("\n## ", start);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void boardTableListsExactlyTheBoardFolders() throws IOException {
    String boards = section(Files.readString(ROOT.resolve("README.md")), "boards");
    Set<String> listed = new TreeSet<>();
    Matcher m = Pattern.compile("^\\| `([a-z0-9-]+)` \\|", Pattern.MULTILINE).matcher(boards);
    while (m.find()) {
      listed.add(m.group(1));
    }
    Set<String> folders;
    try (Stream<Path> s = Files.list(ROOT.resolve("boards"))) {
      folders = s.filter(p -> Files.isRegularFile(p.resolve("board.json")))
          .map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(folders, listed, "README board table vs boards/*/board.json");
  }

  @Test
  void opListIsTheCheckersSupportedSet() throws IOException {
    String ops = section(Files.readString(ROOT.resolve("README.md")), "ops");
    String list = ops.substring(ops.indexOf("-->") + 3, ops.indexOf('.', ops.indexOf("-->")));
    Set<String> listed = Stream.of(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> supported = ModelChecker.SUPPORTED_OPS.stream().map(Enum::name)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(supported, listed, "README op list vs ModelChecker.SUPPORTED_OPS");
  }
}
