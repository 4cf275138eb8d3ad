package io.eltcdc.source.snapshot;

/**
 * A failure of the snapshot source that an operator has to act on (an unreachable database, a
 * table that disappeared, a key with NULLs), with a message that says what failed and what to
 * check. Messages never contain the password.
 */
public final class SnapshotSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnapshotSourceException(String message) {
        super(message);
    }

    public SnapshotSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
