package io.tinyforge.cgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder rules: tinyforge deletes or overwrites only files it wrote itself and that are unchanged. */
class ProjectWriterTest {
  @TempDir
  Path dir;

  private static SortedMap<String, byte[]> project(String... pathsAndContents) {
    SortedMap<String, byte[]> m = new TreeMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      m.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  private static void assertHolds(Path out, SortedMap<String, byte[]> files) throws IOException {
    for (var e : files.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey())), e.getKey());
    }
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aNewFolderGetsTheProjectAndItsManifestAndNothingIsLeftBesideIt() throws IOException {
    Path out = dir.resolve("out");
    var files = project("model.c", "int a;", "tfk/k.c", "int k;");
    ProjectWriter.Result r = ProjectWriter.write(files, out, false);
    assertHolds(out, files);
    assertEquals(List.of(".tinyforge-manifest", "model.c", "tfk"), names(out));
    assertEquals(List.of("out"), names(dir), "no temporary folder left beside it");
    assertTrue(r.notes(out).isEmpty());
    assertEquals(files.keySet(), ProjectWriter.recordedPaths(out));
  }

  @Test
  void regeneratingReplacesUnchangedFilesRemovesObsoleteOnesAndKeepsTheUsersFiles() throws IOException {
    Path out = dir.resolve("out");
    ProjectWriter.write(project("model.c", "int a;", "old/gone.c", "int g;", "keep.h", "x"), out, false);
    Files.writeString(out.resolve("notes.txt"), "mine");
    Files.writeString(out.resolve("firmware.elf"), "build product");
    var v2 = project("model.c", "int b;", "keep.h", "x", "new.c", "int n;");
    ProjectWriter.Result r = ProjectWriter.write(v2, out, false);
    assertHolds(out, v2);
    assertFalse(Files.exists(out.resolve("old/gone.c")), "an unchanged generated file the project dropped goes");
    assertFalse(Files.exists(out.resolve("old")), "and so does the folder it emptied");
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    assertEquals("build product", Files.readString(out.resolve("firmware.elf")));
    assertEquals(List.of("old/gone.c"), r.removed());
    assertTrue(names(out).stream().noneMatch(n -> n.startsWith(".tinyforge-staging")), names(out).toString());
  }

  @Test
  void aNonEmptyFolderWithoutManifestIsRefusedAndLeftUntouched() throws IOException {
    Path out = dir.resolve("home");
    Files.createDirectories(out.resolve(".ssh"));
    Files.writeString(out.resolve(".bashrc"), "alias ll='ls -l'");
    Files.writeString(out.resolve("main.c"), "my main");
    TinyforgeException e = assertThrows(TinyforgeException.class,
        () -> ProjectWriter.write(project("main.c", "generated", "model.c", "m"), out, false));
    assertEquals(TinyforgeException.EXIT_BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("has files tinyforge did not write") && e.getMessage().contains("--force"),
        e.getMessage());
    assertEquals(List.of(".bashrc", ".ssh", "main.c"), names(out), "nothing added, nothing removed");
    assertEquals("my main", Files.readString(out.resolve("main.c")));
  }

  @Test
  void anEmptyExistingFolderIsWrittenInPlace() throws IOException {
    Path out = Files.createDirectories(dir.resolve("empty"));
    var files = project("model.c", "m");
    ProjectWriter.write(files, out, false);
    assertHolds(out, files);
  }

  @Test
  void forceWritesBesideForeignFilesAndNeverOverwritesThem() throws IOException {
    Path out = Files.createDirectories(dir.resolve("proj"));
    Files.writeString(out.resolve("main.c"), "my main");
    Files.writeString(out.resolve("README"), "mine");
    Files.writeString(out.resolve("same.h"), "identical");
    ProjectWriter.Result r = ProjectWriter.write(project("main.c", "generated main", "model.c", "m", "same.h",
        "identical"), out, true);
    assertEquals("my main", Files.readString(out.resolve("main.c")));
    assertEquals("mine", Files.readString(out.resolve("README")));
    assertEquals("m", Files.readString(out.resolve("model.c")));
    assertEquals(List.of("main.c"), r.keptForeign());
    assertTrue(r.notes(out).get(0).contains("main.c") && r.notes(out).get(0).contains("did not write"));
    // a file with exactly the generated bytes is adopted; the user's main.c stays foreign
    assertEquals(java.util.Set.of("model.c", "same.h"), ProjectWriter.recordedPaths(out));
    // and the next write (without --force) is allowed: the folder now has a manifest
    ProjectWriter.Result again = ProjectWriter.write(project("main.c", "generated main", "model.c", "m2"), out,
        false);
    assertEquals("m2", Files.readString(out.resolve("model.c")));
    assertEquals("my main", Files.readString(out.resolve("main.c")));
    assertEquals(List.of("main.c"), again.keptForeign());
    assertEquals(List.of("same.h"), again.removed());
  }

  @Test
  void aGeneratedFileTheUserEditedIsKeptAndReportedUnlessForced() throws IOException {
    Path out = dir.resolve("out");
    ProjectWriter.write(project("main.c", "v1", "model.c", "m1", "extra.c", "e1"), out, false);
    Files.writeString(out.resolve("main.c"), "v1 + my change");
    Files.writeString(out.resolve("extra.c"), "e1 + my change");
    ProjectWriter.Result r = ProjectWriter.write(project("main.c", "v2", "model.c", "m2"), out, false);
    assertEquals("v1 + my change", Files.readString(out.resolve("main.c")));
    assertEquals("e1 + my change", Files.readString(out.resolve("extra.c")), "an edited obsolete file stays too");
    assertEquals("m2", Files.readString(out.resolve("model.c")));
    assertEquals(List.of("main.c", "extra.c"), r.keptEdited());
    assertTrue(r.notes(out).get(0).contains("you edited it"), r.notes(out).toString());
    // still recognised as edited on the next run
    assertEquals(List.of("main.c", "extra.c"), ProjectWriter.write(project("main.c", "v2", "model.c", "m2"), out,
        false).keptEdited());
    ProjectWriter.Result forced = ProjectWriter.write(project("main.c", "v3", "model.c", "m3"), out, true);
    assertEquals("v3", Files.readString(out.resolve("main.c")));
    assertFalse(Files.exists(out.resolve("extra.c")));
    assertTrue(forced.keptEdited().isEmpty());
  }

  @Test
  void leftoversOfAKilledRunAreRemovedButOnlyTinyforgesOwn() throws IOException {
    Path out = dir.resolve("out");
    ProjectWriter.write(project("model.c", "m"), out, false);
    Path staging = Files.createDirectories(out.resolve(".tinyforge-staging-123/tfk"));
    Files.writeString(staging.resolve("k.c"), "half");
    Path abandoned = Files.createDirectories(dir.resolve(".fresh.tmp-42"));
    Files.writeString(abandoned.resolve(".tinyforge-manifest"), "# tinyforge\n");
    Path usersLookalike = Files.createDirectories(dir.resolve(".fresh.tmp-users"));
    Files.writeString(usersLookalike.resolve("data"), "keep");

    ProjectWriter.write(project("model.c", "m2"), out, false);
    ProjectWriter.write(project("model.c", "m"), dir.resolve("fresh"), false);
    assertFalse(Files.exists(out.resolve(".tinyforge-staging-123")));
    assertFalse(Files.exists(abandoned));
    assertEquals("keep", Files.readString(usersLookalike.resolve("data")), "not tinyforge's: left alone");
  }

  @Test
  void aKilledSwapLeavesEveryGeneratedFileRecognisable() throws IOException {
    Path out = dir.resolve("out");
    ProjectWriter.write(project("a.c", "a1", "b.c", "b1"), out, false);
    // what a run killed between swapping a.c and b.c leaves: the union manifest, a.c new, b.c old
    String manifest = Files.readString(out.resolve(".tinyforge-manifest"));
    String a2 = FolderManifest.hash("a2".getBytes(StandardCharsets.UTF_8));
    String b2 = FolderManifest.hash("b2".getBytes(StandardCharsets.UTF_8));
    Files.writeString(out.resolve(".tinyforge-manifest"), manifest + a2 + "  a.c\n" + b2 + "  b.c\n");
    Files.writeString(out.resolve("a.c"), "a2");
    ProjectWriter.Result r = ProjectWriter.write(project("a.c", "a3", "b.c", "b3"), out, false);
    assertTrue(r.keptEdited().isEmpty() && r.keptForeign().isEmpty(), r.notes(out).toString());
    assertEquals("a3", Files.readString(out.resolve("a.c")));
    assertEquals("b3", Files.readString(out.resolve("b.c")));
  }

  @Test
  void aManifestNamingPathsOutsideTheFolderDeletesNothingThere() throws IOException {
    Path out = dir.resolve("out");
    ProjectWriter.write(project("a.c", "a"), out, false);
    Path victim = dir.resolve("victim.txt");
    Files.writeString(victim, "precious");
    String h = FolderManifest.hash("precious".getBytes(StandardCharsets.UTF_8));
    Files.writeString(out.resolve(".tinyforge-manifest"), Files.readString(out.resolve(".tinyforge-manifest"))
        + h + "  ../victim.txt\n" + h + "  " + victim + "\n");
    ProjectWriter.write(project("a.c", "b"), out, false);
    assertEquals("precious", Files.readString(victim));
  }

  @Test
  void sameProjectGivesTheSameManifestBytes() throws IOException {
    var files = project("b.c", "b", "a/x.c", "x");
    ProjectWriter.write(files, dir.resolve("one"), false);
    ProjectWriter.write(files, dir.resolve("two"), false);
    assertArrayEquals(Files.readAllBytes(dir.resolve("one/.tinyforge-manifest")),
        Files.readAllBytes(dir.resolve("two/.tinyforge-manifest")));
  }
}
