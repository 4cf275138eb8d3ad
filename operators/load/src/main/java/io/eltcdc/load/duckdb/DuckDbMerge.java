package io.eltcdc.load.duckdb;

import io.eltcdc.load.JdbcStatements;
import io.eltcdc.load.MergeSql;
import io.eltcdc.load.TableMerge;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * DuckDB's merge: delete, then insert, by joins on the key. Target tables have no primary key
 * (see {@link DuckDbSql#declaresPrimaryKey()}), so there is no ON CONFLICT; deleting the rows a
 * newer record replaces and inserting the winners whose key is then absent has the same effect.
 */
final class DuckDbMerge implements TableMerge {

    @Override
    public long merge(Connection c, MergeSql sql, List<String> targetColumns) throws SQLException {
        JdbcStatements.execute(c, sql.createWinners());
        if (targetIsEmpty(c, sql)) { // the initial sync's batches: no joins needed
            return JdbcStatements.update(c, sql.insertWinners());
        }
        long deleted = JdbcStatements.update(c, sql.deleteDeleted());
        JdbcStatements.update(c, sql.deleteReplaced());
        long written = JdbcStatements.update(c, sql.insertMissing());
        return deleted + written;
    }

    private static boolean targetIsEmpty(Connection c, MergeSql sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql.targetIsEmpty())) {
            return r.next() && r.getBoolean(1);
        }
    }
}
