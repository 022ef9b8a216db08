package io.tinyforge.cgen;

import io.tinyforge.memory.MemoryPlan;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A generated C project in memory: file contents by path relative to the output folder, plus the facts the CLI
 * reports.
 *
 * @param files every file of the project, sorted by path
 * @param plan the arena plan the code uses
 * @param weightBytes bytes of the constant arrays
 */
public record CProject(SortedMap<String, byte[]> files, MemoryPlan plan, long weightBytes, ArenaLayout.Layout layout) {
  public CProject {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }
}
