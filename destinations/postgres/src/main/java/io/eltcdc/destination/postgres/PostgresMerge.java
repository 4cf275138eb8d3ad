package io.eltcdc.destination.postgres;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.sql.TableMerge;
import io.eltcdc.destination.staged.StagedRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL's merge: winners per key, deletes, then {@code INSERT … ON CONFLICT (key) DO UPDATE …
 * WHERE target position < new position} against the target's primary key.
 *
 * <p>A batch whose keys staging found distinct is its own winners (no {@code DISTINCT ON} sort and
 * copy), and a batch without DELETE records skips the delete. The upsert reads the winners once
 * and probes the primary key per row: its plan does not depend on statistics, so the temporary
 * table is analysed only for the delete's join. Winners of a batch whose key range holds no target
 * row (for an integer key, asked of the primary key index: the initial sync's batches of one
 * reader) have nothing to delete or update: they are inserted without ON CONFLICT, whose
 * speculative insertion costs about half as much again.
 *
 * <p>Values winners lack (unchanged columns; soft-deleted rows) are filled in first
 * ({@link MergeSql#resolveMissingValues}); in soft-delete mode DELETE winners go through the
 * upsert like the others, and nothing is deleted.
 */
final class PostgresMerge implements TableMerge {

    @Override
    public long merge(Connection c, MergeSql sql, StagedRows staged, List<String> targetColumns) throws SQLException {
        MergeSql merge = sql;
        if (staged.keysDistinct()) {
            merge = sql.stageAsWinners();
        } else {
            JdbcStatements.execute(c, sql.createWinners());
        }
        String resolve = merge.resolveMissingValues(staged);
        boolean analyzed = false;
        if (resolve != null) {
            // Temporary tables get no statistics on their own; the resolving joins plan better with them.
            JdbcStatements.execute(c, "ANALYZE " + merge.winnersTable());
            analyzed = true;
            JdbcStatements.execute(c, resolve);
        }
        if (staged.keyRange() != null && !JdbcStatements.queryBoolean(c, merge.targetHasKeyIn(staged.keyRange()))) {
            return JdbcStatements.update(c, merge.insertWinners());
        }
        long deleted = 0;
        if (staged.hasDeletes() && merge.deleteMode() == DeleteMode.HARD) {
            if (!analyzed) { // the delete's join plans better with statistics too
                JdbcStatements.execute(c, "ANALYZE " + merge.winnersTable());
            }
            deleted = JdbcStatements.update(c, merge.deleteDeleted());
        }
        long upserted = JdbcStatements.update(c, merge.upsert(targetColumns));
        return deleted + upserted;
    }
}
