package io.eltcdc.destination.snowflake;

import io.eltcdc.model.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code COPY INTO} statements that load named staged files from the stage into a table:
 * Snowflake takes at most {@value #MAX_FILES} names in one {@code FILES = (…)} list, so a longer
 * list becomes several statements.
 *
 * <p>{@code FORCE = TRUE}: COPY otherwise skips files its load history says were loaded into the
 * table already; which files load is the ledger's business, and a batch retried after a failure
 * must load all of its files again. {@code ON_ERROR = ABORT_STATEMENT}: a file that cannot be read
 * fails the batch instead of being skipped.
 */
final class SnowflakeCopy {
    static final int MAX_FILES = 1000;

    private SnowflakeCopy() {}

    /** One statement per at most {@value #MAX_FILES} files, in the order given. */
    static List<String> statements(String table, String stageName, List<String> relativeFiles) {
        List<String> statements = new ArrayList<>();
        for (int from = 0; from < relativeFiles.size(); from += MAX_FILES) {
            List<String> chunk = relativeFiles.subList(from, Math.min(relativeFiles.size(), from + MAX_FILES));
            statements.add("COPY INTO " + table + " FROM @" + stageName
                    + " FILES = ("
                    + String.join(
                            ", ", chunk.stream().map(SqlIdentifiers::literal).toList()) + ")"
                    + " FILE_FORMAT = (TYPE = AVRO) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE"
                    + " ON_ERROR = ABORT_STATEMENT FORCE = TRUE");
        }
        return statements;
    }
}
