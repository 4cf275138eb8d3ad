package io.eltcdc.destination.sql;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TargetTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The destination's record of loaded batches, table {@code elt_cdc.loads}: one row per
 * (pipeline, target table, batch id), written in the transaction that merges the batch, so a
 * batch delivered again is recognised and skipped. The same SQL serves every JDBC destination;
 * only the load's time is the destination's ({@link SqlDialect#loadTime()}).
 */
public final class LoadLedger implements Ledger {
    public static final String SCHEMA = "elt_cdc";
    public static final String TABLE = "loads";
    private final String catalog;
    private final String ledger;
    private final String loadTime;

    /**
     * @param catalog the catalog to qualify the ledger's name with, or null
     * @param loadTime the SQL of {@code loaded_at}: the destination's {@link SqlDialect#loadTime()}
     */
    public LoadLedger(String catalog, String loadTime) {
        this.catalog = catalog;
        this.ledger = new TargetTable(catalog, SCHEMA, TABLE).sql();
        this.loadTime = Objects.requireNonNull(loadTime, "loadTime");
    }

    /** The ledger table's name as SQL, qualified and quoted. */
    public String tableSql() {
        return ledger;
    }

    /** Creates the ledger table unless it exists (autocommit). */
    public void ensureExists(Connection c) throws SQLException {
        JdbcStatements.ensureSchema(c, catalog, SCHEMA);
        JdbcStatements.execute(
                c,
                "CREATE TABLE IF NOT EXISTS " + ledger + " ("
                        + "pipeline VARCHAR NOT NULL, "
                        + "table_name VARCHAR NOT NULL, "
                        + "batch_id VARCHAR NOT NULL, "
                        + "files INTEGER NOT NULL, "
                        + "rows_staged BIGINT NOT NULL, "
                        + "loaded_at TIMESTAMPTZ NOT NULL, "
                        + "PRIMARY KEY (pipeline, table_name, batch_id))");
    }

    @Override
    public boolean contains(Connection c, LoadBatch batch, TargetTable target) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM " + ledger + " WHERE pipeline = ? AND table_name = ? AND batch_id = ?")) {
            s.setString(1, batch.pipeline());
            s.setString(2, target.toString());
            s.setString(3, batch.batchId());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    @Override
    public void record(Connection c, LoadBatch batch, TargetTable target, long rowsStaged) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + ledger
                + " (pipeline, table_name, batch_id, files, rows_staged, loaded_at)"
                + " VALUES (?, ?, ?, ?, ?, " + loadTime + ")")) {
            s.setString(1, batch.pipeline());
            s.setString(2, target.toString());
            s.setString(3, batch.batchId());
            s.setInt(4, batch.files().size());
            s.setLong(5, rowsStaged);
            s.executeUpdate();
        }
    }

    /** True when {@code e} says the ledger row exists already (a concurrent load of the same batch won). */
    public static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
