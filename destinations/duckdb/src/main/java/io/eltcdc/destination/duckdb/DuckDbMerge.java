package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.sql.TableMerge;
import io.eltcdc.destination.staged.StagedRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * DuckDB's merge: one {@code MERGE INTO} of the winners on the key (DuckDB ≥ 1.4), which deletes,
 * updates and inserts in one join; target tables have no primary key (see
 * {@link DuckDbSql#declaresPrimaryKey()}), so there is no ON CONFLICT. (Deleting replaced rows,
 * then inserting winners whose key is absent, took three joins and twice the time.)
 *
 * <p>Steps that cannot change anything are skipped, which is what makes the initial sync's
 * batches (each key once, none of them in the target yet) cheap:
 * <ul>
 *   <li>keys that staging found distinct are their own winners: no "latest record per key" table;
 *   <li>when no target row has a key of the batch, the MERGE's join would find nothing: the
 *       winners are inserted as they are. The check asks first whether any target row lies in the
 *       batch's key range (integer keys: a range filter with constants, which DuckDB answers from
 *       the row groups' zone maps in about a millisecond), and only if one does and the batch holds
 *       nothing but snapshot READs (whose keys the target rarely has, though parallel readers'
 *       key ranges interleave), runs a semi-join of target and winners, which costs a hash table
 *       of the batch's keys; batches of log changes go to the MERGE directly.
 * </ul>
 * Values winners lack (unchanged columns; soft-deleted rows) are filled in before either
 * ({@link MergeSql#resolveMissingValues}).
 */
final class DuckDbMerge implements TableMerge {

    @Override
    public long merge(Connection c, MergeSql sql, StagedRows staged, List<String> targetColumns) throws SQLException {
        DuckDbThreads.forBatch(c, staged.rows());
        MergeSql merge = sql;
        if (staged.keysDistinct()) {
            merge = sql.stageAsWinners();
        } else {
            JdbcStatements.execute(c, sql.createWinners());
        }
        String resolve = merge.resolveMissingValues(staged);
        if (resolve != null) {
            JdbcStatements.execute(c, resolve);
        }
        if (!targetHasAKeyOfTheBatch(c, merge, staged)) {
            return JdbcStatements.update(c, merge.insertWinners());
        }
        return JdbcStatements.update(c, merge.mergeInto(targetColumns));
    }

    private static boolean targetHasAKeyOfTheBatch(Connection c, MergeSql sql, StagedRows staged) throws SQLException {
        if (staged.keyRange() != null && !JdbcStatements.queryBoolean(c, sql.targetHasKeyIn(staged.keyRange()))) {
            return false;
        }
        if (!staged.onlyReads()) {
            return true; // changes from the log mostly touch rows the target has: MERGE at once, no second join
        }
        return JdbcStatements.queryBoolean(
                c,
                "SELECT EXISTS (SELECT 1 FROM " + sql.target().sql() + " AS t SEMI JOIN " + sql.winnersTable()
                        + " AS w ON " + sql.keyMatch() + ")");
    }
}
