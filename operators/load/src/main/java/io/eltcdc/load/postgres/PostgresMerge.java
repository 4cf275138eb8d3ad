package io.eltcdc.load.postgres;

import io.eltcdc.load.JdbcStatements;
import io.eltcdc.load.MergeSql;
import io.eltcdc.load.TableMerge;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL's merge: winners per key, deletes, then {@code INSERT … ON CONFLICT (key) DO UPDATE …
 * WHERE target position < new position} against the target's primary key.
 */
final class PostgresMerge implements TableMerge {

    @Override
    public long merge(Connection c, MergeSql sql, List<String> targetColumns) throws SQLException {
        JdbcStatements.execute(c, sql.createWinners());
        // Temporary tables get no statistics on their own; the joins below plan better with them.
        JdbcStatements.execute(c, "ANALYZE " + sql.winnersTable());
        long deleted = JdbcStatements.update(c, sql.deleteDeleted());
        long upserted = JdbcStatements.update(c, sql.upsert(targetColumns));
        return deleted + upserted;
    }
}
