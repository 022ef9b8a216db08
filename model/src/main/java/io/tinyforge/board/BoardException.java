package io.tinyforge.board;

/**
 * A problem with a board, its descriptor, a tool or an image, described in one line that names
 * the thing and the fix. Callers print {@link #getMessage()} and exit non-zero; no stack trace.
 */
public class BoardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BoardException(String message) {
        super(message);
    }

    public BoardException(String message, Throwable cause) {
        super(message, cause);
    }
}
