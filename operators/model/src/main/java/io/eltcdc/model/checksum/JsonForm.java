package io.eltcdc.model.checksum;

/** How a destination keeps JSON values, which the source's checksum must spell the same way. */
public enum JsonForm {
    /** The text the pipeline wrote, as it is (DuckDB's JSON and VARCHAR). */
    AS_WRITTEN,
    /** PostgreSQL's {@code jsonb} text: keys sorted and deduplicated, one space after {@code :} and {@code ,}. */
    JSONB
}
