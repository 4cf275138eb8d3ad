package io.eltcdc.destination.sql;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The destination's record of loaded batches, one row per (pipeline, table, batch): what makes a
 * load exactly once in effect ({@link LedgeredTransaction}).
 */
public interface Ledger {

    /** Whether the batch was loaded into {@code target}. */
    boolean contains(Connection c, LoadBatch batch, TargetTable target) throws SQLException;

    /** Adds the batch's row; the caller's transaction commits it together with the merge. */
    void record(Connection c, LoadBatch batch, TargetTable target, long rowsStaged) throws SQLException;
}
