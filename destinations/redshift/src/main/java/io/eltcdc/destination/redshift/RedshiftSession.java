package io.eltcdc.destination.redshift;

import io.eltcdc.destination.sql.JdbcStatements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The session settings of a loader's connection, made once per connection before its first
 * statement, in autocommit (a SET inside a transaction that rolls back would be undone).
 *
 * <ul>
 *   <li>{@code SET timezone TO 'UTC'}: {@code SYSDATE} is the transaction's start in the session's
 *       time zone, which is UTC unless the user's sessions default to another one
 *       ({@code ALTER USER … SET timezone}). The load's time ({@link RedshiftSql#NOW}) reads
 *       {@code SYSDATE} as UTC, so in any other zone {@code _elt_synced_at} and the ledger's
 *       {@code loaded_at} would be off by the zone's offset.
 *   <li>A connection the provider replaced (a broken one is reopened silently) is a new connection:
 *       it gets the settings again.
 * </ul>
 */
final class RedshiftSession {
    /** What each new connection runs, in order. */
    private static final List<String> SETTINGS = List.of("SET timezone TO 'UTC'");

    private Connection prepared;

    /** Applies {@link #SETTINGS} to {@code c} unless this session applied them to it already. */
    void prepare(Connection c) throws SQLException {
        if (c == prepared) {
            return;
        }
        c.setAutoCommit(true);
        for (String setting : SETTINGS) {
            JdbcStatements.execute(c, setting);
        }
        prepared = c;
    }
}
