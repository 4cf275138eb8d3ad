package io.eltcdc.destination.sql;

import io.eltcdc.destination.staged.StagedRows;
import java.sql.Connection;
import java.util.List;

/** How a destination merges the staged records of a keyed table into the target. */
@FunctionalInterface
public interface TableMerge {

    /**
     * Merges the staging table into the target, inside the caller's transaction.
     *
     * @param staged what staging learnt about the records: steps that cannot change anything are skipped
     * @param targetColumns every column of the target table, after the batch's columns were added
     * @return rows inserted, updated or deleted in the target
     */
    long merge(Connection c, MergeSql sql, StagedRows staged, List<String> targetColumns) throws Exception;
}
