package io.tinyforge.board;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** All board descriptors of a checkout: every {@code <repoRoot>/boards/<name>/board.json}. */
public final class BoardRegistry {
    private final Path repoRoot;
    private final Map<String, Board> boards;

    private BoardRegistry(Path repoRoot, Map<String, Board> boards) {
        this.repoRoot = repoRoot;
        this.boards = Collections.unmodifiableMap(boards);
    }

    /** Loads every board of {@code repoRoot/boards}; a broken descriptor fails with its file name. */
    public static BoardRegistry load(Path repoRoot) {
        Path root = repoRoot.toAbsolutePath().normalize();
        Path boardsDir = root.resolve("boards");
        if (!Files.isDirectory(boardsDir)) {
            throw new BoardException("no boards folder at " + boardsDir + "; pass the tinyforge repository root");
        }
        Map<String, Board> boards = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(boardsDir)) {
            for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
                Path json = dir.resolve("board.json");
                if (Files.isRegularFile(json)) {
                    Board board = BoardDescriptorReader.read(json, root.relativize(json).toString());
                    boards.put(board.name(), board);
                }
            }
        } catch (IOException e) {
            throw new BoardException("cannot list " + boardsDir + " (" + e.getMessage() + ")");
        }
        if (boards.isEmpty()) {
            throw new BoardException("no board.json under " + boardsDir);
        }
        return new BoardRegistry(root, boards);
    }

    /** The board called {@code name}; unknown names fail with the list of known boards. */
    public Board get(String name) {
        Board board = boards.get(name);
        if (board == null) {
            throw new BoardException("unknown board '" + name + "'; known boards: " + String.join(", ", names()));
        }
        return board;
    }

    public List<String> names() {
        return new ArrayList<>(boards.keySet());
    }

    public List<Board> all() {
        return new ArrayList<>(boards.values());
    }

    public Path repoRoot() {
        return repoRoot;
    }
}
