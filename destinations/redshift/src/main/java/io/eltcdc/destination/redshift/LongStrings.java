package io.eltcdc.destination.redshift;

import java.util.Locale;

/**
 * What to do with a value longer than Redshift can store ({@code destination.long-strings}):
 * text longer than {@value RedshiftTypes#MAX_VARCHAR_BYTES} bytes of UTF-8 (VARCHAR's limit), bytes
 * longer than {@value RedshiftTypes#MAX_BYTES} (they travel as hex text). Never silent: failing
 * names the table, column and row; truncating marks the row ({@code _elt_truncated = true}) and
 * logs a warning per batch and column.
 */
public enum LongStrings {
    /** The batch fails, naming the value; the default. */
    FAIL,
    /** The value is cut to the limit (at a character boundary) and the row marked {@code _elt_truncated}. */
    TRUNCATE;

    /** {@code fail} or {@code truncate}, as configured. */
    public static LongStrings of(String name) {
        for (LongStrings choice : values()) {
            if (choice.name().equalsIgnoreCase(name.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unknown long-strings choice '" + name + "' (known: fail, truncate)");
    }

    /** The configured name: {@code fail} or {@code truncate}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
