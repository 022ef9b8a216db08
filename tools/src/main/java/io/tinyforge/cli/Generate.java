package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The main job: model + board -> C project. Filled in by the code generator. */
final class Generate {
  private Generate() {}

  static int run(Path model, String board, Path output, PrintWriter out) {
    throw new TinyforgeException("firmware generation is not built yet");
  }
}
