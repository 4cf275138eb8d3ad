package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.LedgeredTransaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The transaction of one load into one target table: an explicit {@code BEGIN NAME …} …
 * {@code COMMIT} on the autocommit connection, which staging (before the transaction: Snowflake
 * commits an open transaction at every DDL statement) leaves on.
 *
 * <ul>
 *   <li>The transaction is named after the pipeline and the target table ({@link #nameOf}), so
 *       that {@code SHOW TRANSACTIONS} tells a load's transaction apart from every other one; one
 *       table's loads run one at a time, so a running transaction of that name in another session
 *       is one a lost session left behind.
 *   <li>Before the name is first used in a session, such a transaction is aborted
 *       ({@link StaleTransactions}): it would hold its locks on the target table and stall this
 *       load for minutes.
 * </ul>
 */
final class SnowflakeLoadTransaction implements LedgeredTransaction.Session {
    private final StaleTransactions stale;
    private final String name;

    SnowflakeLoadTransaction(StaleTransactions stale, String pipeline, TargetTable target) {
        this.stale = stale;
        this.name = nameOf(pipeline, target);
    }

    /**
     * {@code ELT_CDC_LOAD_<16 hex digits>} of the pipeline and the target table: upper-case letters,
     * digits and underscores, a valid identifier whatever the names are made of.
     */
    static String nameOf(String pipeline, TargetTable target) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((pipeline + "\n" + target.sql()).getBytes(StandardCharsets.UTF_8));
            return "ELT_CDC_LOAD_" + HexFormat.of().formatHex(hash, 0, 8).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    String name() {
        return name;
    }

    @Override
    public void begin(Connection c) throws SQLException {
        stale.abortBeforeFirstUse(c, name);
        JdbcStatements.execute(c, "BEGIN NAME " + name);
    }

    @Override
    public void commit(Connection c) throws SQLException {
        JdbcStatements.execute(c, "COMMIT");
    }

    @Override
    public void rollback(Connection c) throws SQLException {
        JdbcStatements.execute(c, "ROLLBACK");
    }

    @Override
    public void end(Connection c) {}
}
