package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.Ledger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Snowflake's record of loaded batches, {@code ELT_CDC.LOADS}: one row per (pipeline, target
 * table, batch id), inserted in the transaction that merges the batch. The same table as the
 * other destinations' {@code elt_cdc.loads}, with Snowflake's conventional upper-case names, so
 * that {@code SELECT * FROM elt_cdc.loads} works unquoted; the schema also holds the external
 * stage and the session's temporary tables.
 *
 * <p>Snowflake does not enforce the primary key: a batch is recorded once because the load checks
 * the ledger inside the transaction that inserts the row, and one load committer per pipeline
 * loads a table's batches one after the other.
 */
final class SnowflakeLedger implements Ledger {
    static final String SCHEMA = "ELT_CDC";
    static final String TABLE = SCHEMA + ".LOADS";

    static String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                + "PIPELINE VARCHAR NOT NULL, "
                + "TABLE_NAME VARCHAR NOT NULL, "
                + "BATCH_ID VARCHAR NOT NULL, "
                + "FILES NUMBER(10,0) NOT NULL, "
                + "ROWS_STAGED NUMBER(19,0) NOT NULL, "
                + "LOADED_AT TIMESTAMP_TZ NOT NULL, "
                + "PRIMARY KEY (PIPELINE, TABLE_NAME, BATCH_ID))";
    }

    static String containsQuery() {
        return "SELECT 1 FROM " + TABLE + " WHERE PIPELINE = ? AND TABLE_NAME = ? AND BATCH_ID = ?";
    }

    static String insertStatement() {
        return "INSERT INTO " + TABLE + " (PIPELINE, TABLE_NAME, BATCH_ID, FILES, ROWS_STAGED, LOADED_AT)"
                + " VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP)";
    }

    /** Creates the schema and the ledger unless they exist (autocommit). */
    void ensureExists(Connection c) throws SQLException {
        JdbcStatements.ensureSchema(c, null, SCHEMA);
        JdbcStatements.execute(c, createTable());
    }

    @Override
    public boolean contains(Connection c, LoadBatch batch, TargetTable target) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(containsQuery())) {
            s.setString(1, batch.pipeline());
            s.setString(2, target.toString());
            s.setString(3, batch.batchId());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Adds the batch's row; the caller's transaction commits it together with the merge. */
    @Override
    public void record(Connection c, LoadBatch batch, TargetTable target, long rowsStaged) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insertStatement())) {
            s.setString(1, batch.pipeline());
            s.setString(2, target.toString());
            s.setString(3, batch.batchId());
            s.setInt(4, batch.files().size());
            s.setLong(5, rowsStaged);
            s.executeUpdate();
        }
    }
}
