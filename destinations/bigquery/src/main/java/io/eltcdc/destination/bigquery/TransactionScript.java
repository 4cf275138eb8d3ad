package io.eltcdc.destination.bigquery;

import java.util.List;

/**
 * The script that merges a batch and records it in the ledger, as one multi-statement transaction:
 * the ledger is checked again inside the transaction (a batch another try committed in the
 * meantime changes nothing), then each part's statements run (and the purge of tombstones when the
 * batch completes the table's snapshot), then the ledger row is inserted.
 * Any error rolls the whole transaction back and is raised again, so the job fails with it. The
 * script's last statement returns {@code already_loaded} and {@code rows_merged}.
 *
 * <p>The ledger key travels as query parameters ({@code @pipeline}, {@code @table_name},
 * {@code @batch_id}, {@code @files}, {@code @rows_staged}), never spliced into the SQL.
 */
final class TransactionScript {
    static final String ALREADY_LOADED = "already_loaded";

    private TransactionScript() {}

    /**
     * @param ledger the ledger table, qualified and quoted
     * @param parts the statements of each part, in merge order
     */
    static String of(String ledger, List<MergeStatements> parts) {
        return of(ledger, parts, List.of());
    }

    /**
     * @param ledger the ledger table, qualified and quoted
     * @param parts the statements of each part, in merge order
     * @param after statements that run after the parts' and before the ledger row (the purge of
     *     tombstones, {@link MergeStatements#purgeTombstones})
     */
    static String of(String ledger, List<MergeStatements> parts, List<String> after) {
        StringBuilder sql = new StringBuilder()
                .append("DECLARE ")
                .append(ALREADY_LOADED)
                .append(" BOOL DEFAULT FALSE;\n")
                .append("DECLARE ")
                .append(MergeStatements.ROWS_MERGED)
                .append(" INT64 DEFAULT 0;\n")
                .append("DECLARE ")
                .append(MergeStatements.NEEDS_FILL)
                .append(" BOOL DEFAULT FALSE;\n")
                .append("BEGIN\n")
                .append("BEGIN TRANSACTION;\n")
                .append("SET ")
                .append(ALREADY_LOADED)
                .append(" = EXISTS (SELECT 1 FROM ")
                .append(ledger)
                .append(" WHERE pipeline = @pipeline AND table_name = @table_name AND batch_id = @batch_id);\n")
                .append("IF NOT ")
                .append(ALREADY_LOADED)
                .append(" THEN\n");
        for (MergeStatements part : parts) {
            for (String statement : part.statements()) {
                sql.append(statement).append('\n');
            }
        }
        for (String statement : after) {
            sql.append(statement).append('\n');
        }
        sql.append("INSERT INTO ")
                .append(ledger)
                .append(" (pipeline, table_name, batch_id, files, rows_staged, loaded_at)")
                .append(" VALUES (@pipeline, @table_name, @batch_id, @files, @rows_staged, CURRENT_TIMESTAMP());\n")
                .append("END IF;\n")
                .append("COMMIT TRANSACTION;\n")
                .append("EXCEPTION WHEN ERROR THEN\n")
                .append("ROLLBACK TRANSACTION;\n")
                .append("RAISE USING MESSAGE = @@error.message;\n")
                .append("END;\n")
                .append("SELECT ")
                .append(ALREADY_LOADED)
                .append(", ")
                .append(MergeStatements.ROWS_MERGED)
                .append(";\n");
        return sql.toString();
    }
}
