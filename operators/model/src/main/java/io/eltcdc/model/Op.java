package io.eltcdc.model;

/** What a {@link ChangeRecord} says happened to its row. */
public enum Op {
    /** A row read by the initial sync. */
    READ,
    INSERT,
    UPDATE,
    DELETE;

    private static final Op[] VALUES = values();

    public static Op ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
