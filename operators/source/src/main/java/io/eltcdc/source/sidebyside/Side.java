package io.eltcdc.source.sidebyside;

/** Which of the two sources of a {@link SideBySideSource} something belongs to. */
public enum Side {
    /** The first source: bounded (the snapshot); it ends while the second goes on. */
    FIRST,
    /** The second source (the change log). */
    SECOND;

    static Side of(int ordinal) {
        if (ordinal < 0 || ordinal >= values().length) {
            throw new IllegalArgumentException("no side " + ordinal);
        }
        return values()[ordinal];
    }
}
