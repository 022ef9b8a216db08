package io.tinyforge.verify;

import io.tinyforge.board.Board;
import java.nio.file.Path;

/** Writes the C sources of the model for a board into a folder (the code generator, or a stand-in in tests). */
@FunctionalInterface
public interface ModelSourceGenerator {
  GeneratedModel generate(Board board, Path outDir);
}
