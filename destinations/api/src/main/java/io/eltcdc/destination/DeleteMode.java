package io.eltcdc.destination;

import java.util.Locale;

/** What a DELETE does to the target row. */
public enum DeleteMode {
    /** The row is removed. */
    HARD,
    /**
     * The row stays with {@code _elt_deleted = true} and its last known values; a DELETE of a key
     * the target lacks leaves a row of the key alone (a tombstone), so that no older record can
     * bring it back. Target tables have the {@code _elt_deleted} column.
     */
    SOFT;

    /** {@code hard} or {@code soft}, as configured. */
    public static DeleteMode of(String name) {
        for (DeleteMode mode : values()) {
            if (mode.name().equalsIgnoreCase(name.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown delete mode '" + name + "' (known: hard, soft)");
    }

    /** The configured name: {@code hard} or {@code soft}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
