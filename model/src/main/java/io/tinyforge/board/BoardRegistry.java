package io.tinyforge.board;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** All board descriptors of a checkout: every {@code <repoRoot>/boards/<name>/board.json}. */
public final class BoardRegistry {
    private final Path repoRoot;
    private final Map<String, Board> boards;
    private final Map<String, String> nameByAlias;

    private BoardRegistry(Path repoRoot, Map<String, Board> boards) {
        this.repoRoot = repoRoot;
        this.boards = Collections.unmodifiableMap(boards);
        Map<String, String> aliases = new TreeMap<>();
        for (Board b : boards.values()) {
            for (String alias : b.aliases()) {
                String key = alias.toLowerCase(Locale.ROOT);
                String other = boards.containsKey(key) ? key : aliases.put(key, b.name());
                if (other != null && !other.equals(b.name())) {
                    throw new BoardException("board alias '" + alias + "' of " + b.name() + " is also " + other
                            + "'s; give it to one board only");
                }
            }
        }
        this.nameByAlias = Collections.unmodifiableMap(aliases);
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

    /**
     * The board called {@code name} or one of its aliases (any case); an unknown name fails naming the nearest board
     * when one is close, else the list of boards.
     */
    public Board get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Board board = boards.get(nameByAlias.getOrDefault(key, key));
        if (board == null) {
            Optional<String> near = Nearest.of(key, candidates());
            throw new BoardException("unknown board '" + name + "'; "
                    + near.map(n -> "did you mean " + nameByAlias.getOrDefault(n, n) + "? ").orElse("")
                    + "known boards: " + String.join(", ", names()) + " (gen-firmware boards lists them)");
        }
        return board;
    }

    /** Every alias of every board, mapped to the board's name. */
    public Map<String, String> aliases() {
        return nameByAlias;
    }

    private List<String> candidates() {
        List<String> all = new ArrayList<>(boards.keySet());
        all.addAll(nameByAlias.keySet());
        return all;
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
