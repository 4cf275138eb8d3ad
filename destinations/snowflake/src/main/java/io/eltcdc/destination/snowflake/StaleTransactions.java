package io.eltcdc.destination.snowflake;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the load transactions that a lost session left open, before a new session begins its own
 * transaction of the same name ({@link SnowflakeLoadTransaction}).
 *
 * <p>A job that crashed between {@code BEGIN} and {@code COMMIT} leaves its transaction running,
 * detached, with its locks on the target table and the ledger; Snowflake aborts it only once it
 * has blocked another transaction for minutes, and the retried load waits that long.
 * {@code ABORT_DETACHED_QUERY} (set for every session, {@link SnowflakeLoader#prepare}) ends the
 * statements of a lost session, not its open transaction: hence this.
 *
 * <ul>
 *   <li>Each transaction name is checked once per session, before its first {@code BEGIN}: a
 *       session that lost its connection is a new session when it comes back, so every reconnect
 *       checks again, and a load on a healthy connection costs no extra statement.
 *   <li>Only transactions of this user are seen and aborted: {@code SHOW TRANSACTIONS} without
 *       {@code IN ACCOUNT} lists the current user's, and {@code SYSTEM$ABORT_TRANSACTION} may abort
 *       a transaction of the user who started it, so no administrator role is needed.
 *   <li>Only a transaction of the same name in another session is aborted: the same pipeline loads
 *       other tables on other sessions at the same time, under other names.
 *   <li>A failure to look or to abort is logged, never fatal: the load then waits for the lock as
 *       it did before.
 * </ul>
 */
final class StaleTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(StaleTransactions.class);

    /** The session the names in {@link #checked} were checked for. */
    private Connection session;

    private long sessionId;
    private final Set<String> checked = new HashSet<>();

    /** Aborts running transactions named {@code name} of other sessions, unless this session did so already. */
    void abortBeforeFirstUse(Connection c, String name) {
        if (c != session) {
            session = c;
            sessionId = -1;
            checked.clear();
        }
        if (!checked.add(name)) {
            return;
        }
        try {
            if (sessionId < 0) {
                sessionId = currentSession(c);
            }
            for (long transaction : runningElsewhere(c, name, sessionId)) {
                abort(c, transaction);
                LOG.warn(
                        "aborted transaction {} ({}): a load whose session was lost left it open, holding its locks",
                        transaction,
                        name);
            }
        } catch (SQLException e) {
            LOG.warn(
                    "could not look for or abort a transaction {} left open by a lost session; the load waits for"
                            + " its locks until Snowflake aborts it",
                    name,
                    e);
        }
    }

    private static long currentSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT CURRENT_SESSION()")) {
            r.next();
            return Long.parseLong(r.getString(1).trim());
        }
    }

    /** The ids of this user's running transactions named {@code name} in sessions other than {@code sessionId}. */
    private static List<Long> runningElsewhere(Connection c, String name, long sessionId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW TRANSACTIONS")) {
            while (r.next()) {
                if (name.equalsIgnoreCase(r.getString("name")) && r.getLong("session") != sessionId) {
                    ids.add(r.getLong("id"));
                }
            }
        }
        return ids;
    }

    private static void abort(Connection c, long transaction) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT SYSTEM$ABORT_TRANSACTION(" + transaction + ")")) {
            r.next();
        }
    }
}
