package io.eltcdc.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * A column of a source table: its name, pipeline type, and for {@link ColumnType#DECIMAL} the
 * precision and scale. {@code sourceType} is the source's own type name, kept for messages and for
 * destinations that can use it.
 */
public record Column(String name, ColumnType type, int precision, int scale, boolean nullable, String sourceType)
        implements Serializable {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        sourceType = sourceType == null ? "" : sourceType;
    }

    public static Column of(String name, ColumnType type) {
        return new Column(name, type, 0, 0, true, type.name().toLowerCase());
    }

    public static Column decimal(String name, int precision, int scale) {
        return new Column(name, ColumnType.DECIMAL, precision, scale, true, "numeric");
    }

    /** The type as a short text, used in fingerprints and messages: {@code DECIMAL(12,2)}. */
    public String typeText() {
        return type == ColumnType.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : type.name();
    }
}
