package io.eltcdc.source.postgres;

import io.eltcdc.model.Position;
import io.eltcdc.source.log.LogPositions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's WAL position for reads that start now, after waiting until the transactions in
 * flight at that position have ended (as {@code CREATE INDEX CONCURRENTLY} waits).
 */
final class PostgresInFlightTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresInFlightTransactions.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(30);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    private PostgresInFlightTransactions() {}

    static Position positionAfterInFlightEnded(Connection c) throws SQLException {
        long lsn;
        List<String> inFlight = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rs.next();
                lsn = LogPositions.parseLsn(rs.getString(1));
            }
            // Taken after the position: every transaction that wrote below it and has not ended yet.
            try (ResultSet rs = s.executeQuery("SELECT x::text FROM pg_snapshot_xip(pg_current_snapshot()) x")) {
                while (rs.next()) {
                    inFlight.add(rs.getString(1));
                }
            }
        }
        awaitEnd(c, inFlight);
        return LogPositions.postgresSnapshot(lsn);
    }

    private static void awaitEnd(Connection c, List<String> xids) throws SQLException {
        if (xids.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long reported = started;
        try (PreparedStatement running = c.prepareStatement(
                "SELECT array_agg(x::text) FROM unnest(?::xid8[]) x" + " WHERE pg_xact_status(x) = 'in progress'")) {
            List<String> left = xids;
            while (true) {
                Array array = c.createArrayOf("text", left.toArray());
                running.setArray(1, array);
                try (ResultSet rs = running.executeQuery()) {
                    rs.next();
                    Array still = rs.getArray(1);
                    if (still == null) {
                        return;
                    }
                    left = List.of((String[]) still.getArray());
                }
                long now = System.nanoTime();
                if (now - started > GIVE_UP_AFTER.toNanos()) {
                    throw new SQLException("transactions " + left + " have been running for over "
                            + GIVE_UP_AFTER.toMinutes() + " min; the table's sync waits for them to end so that"
                            + " none of their changes is lost. End them (see pg_stat_activity), the sync is retried");
                }
                if (now - reported > REPORT_EVERY.toNanos()) {
                    LOG.info("The table sync waits for transactions {} to end (see pg_stat_activity)", left);
                    reported = now;
                }
                LockSupport.parkNanos(POLL.toNanos()); // polls the transactions' status; bounded above
            }
        }
    }
}
