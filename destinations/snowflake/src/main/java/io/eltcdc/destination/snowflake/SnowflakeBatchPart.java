package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedRows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a batch that are staged and merged together, with the statements that do it:
 * every file of the batch, or (when a column's type changed within the batch) the files of one
 * schema version. Statement text only; {@link SnowflakeLoader} runs them.
 *
 * @param sql the shared merge statements for this part's columns, on Snowflake's dialect
 * @param dialect that dialect: the part's temporary tables and the names of its columns
 * @param versions the part's schema versions, each with its raw table and files (stage-relative)
 */
record SnowflakeBatchPart(MergeSql sql, SnowflakeSql dialect, List<VersionFiles> versions) {

    /** The files of one schema version and the raw table COPY loads them into. */
    record VersionFiles(AvroRawTable raw, List<String> files) {}

    SnowflakeBatchPart {
        versions = List.copyOf(versions);
    }

    /** This part with the target's {@code _elt_deleted} column taken into account ({@link MergeSql#withDeletedColumn}). */
    SnowflakeBatchPart withDeletedColumn(boolean targetHasIt) {
        return new SnowflakeBatchPart(sql.withDeletedColumn(targetHasIt), dialect, versions);
    }

    BatchColumns batch() {
        return sql.batch();
    }

    /**
     * Fills the part's staging table (autocommit: these are temporary tables, and their DDL would
     * commit an open transaction anyway): the staging table, then per schema version its raw
     * table, the COPY statements and the move into the staging table.
     */
    List<String> stagingStatements(SnowflakeStage stage) {
        List<String> statements = new ArrayList<>();
        statements.add(sql.createStage());
        statements.add(sql.addUnchangedColumnToStage());
        for (VersionFiles version : versions) {
            statements.add(version.raw().create());
            statements.addAll(SnowflakeCopy.statements(version.raw().name(), stage.name(), version.files()));
            statements.add(version.raw().insertInto(sql.stageTable(), batch()));
        }
        return statements;
    }

    /** Drops the part's temporary tables: raw tables, staging table, winners. */
    List<String> dropStatements() {
        List<String> statements = new ArrayList<>();
        for (VersionFiles version : versions) {
            statements.add("DROP TABLE IF EXISTS " + version.raw().name());
        }
        statements.addAll(sql.dropTemporaryTables());
        return statements;
    }

    /**
     * One row: the records staged, the DELETEs among them, then for each batch column the records
     * that did not send its value.
     */
    String summaryQuery() {
        String unchanged = dialect.quote(MetadataColumns.UNCHANGED);
        StringBuilder q = new StringBuilder("SELECT COUNT(*), COUNT_IF(")
                .append(dialect.quote(MetadataColumns.OP))
                .append(" = 'DELETE')");
        for (int i = 0; i < batch().columns().size(); i++) {
            q.append(", COUNT_IF(POSITION(',")
                    .append(i)
                    .append(",' IN ")
                    .append(unchanged)
                    .append(") > 0)");
        }
        return q.append(" FROM ").append(sql.stageTable()).toString();
    }

    /**
     * What staging learnt, from {@link #summaryQuery()}. Keys are never taken as distinct: the
     * winners per key are always computed, since Snowflake's MERGE must not see a key twice.
     *
     * @throws IllegalArgumentException if a record did not send a key column's value
     */
    StagedRows summarize(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(summaryQuery())) {
            r.next();
            long rows = r.getLong(1);
            boolean deletes = r.getLong(2) > 0;
            List<Integer> unchangedColumns = new ArrayList<>();
            for (int i = 0; i < batch().columns().size(); i++) {
                if (r.getLong(3 + i) == 0) {
                    continue;
                }
                String column = batch().columns().get(i).name();
                if (batch().key().contains(column)) {
                    throw new IllegalArgumentException("a staged record of " + batch().table()
                            + " lacks the value of key column " + column + " (" + r.getLong(3 + i) + " records):"
                            + " the files were not written by elt-cdc's staging, or are damaged");
                }
                unchangedColumns.add(i);
            }
            return new StagedRows(rows, false, deletes, false, null, unchangedColumns);
        }
    }
}
