package io.tinyforge.verify;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The C of one model for one board as the code generator wrote it: what to compile besides the verification app,
 * and the MODEL_HASH the generated model.h carries (what a target running this model must report).
 */
public record GeneratedModel(List<Path> sources, List<Path> includeDirs, Map<String, String> defines,
    String modelHash, List<String> linkFlags) {
  public GeneratedModel {
    sources = List.copyOf(sources);
    includeDirs = List.copyOf(includeDirs);
    defines = Map.copyOf(defines);
    linkFlags = List.copyOf(linkFlags);
  }

  /** A model that needs no link flags of its own. */
  public GeneratedModel(List<Path> sources, List<Path> includeDirs, Map<String, String> defines, String modelHash) {
    this(sources, includeDirs, defines, modelHash, List.of());
  }
}
