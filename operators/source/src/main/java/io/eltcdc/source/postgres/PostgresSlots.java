package io.eltcdc.source.postgres;

import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.source.log.LogPositions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

/** Questions about and operations on a PostgreSQL replication slot. */
public final class PostgresSlots {
    private PostgresSlots() {}

    /** The slot's restart LSN, or null when there is no such slot. */
    public static Long restartLsn(Connection connection, String slotName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT restart_lsn::text, plugin, database = current_database() FROM pg_replication_slots"
                        + " WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (!"pgoutput".equals(rs.getString(2)) || !rs.getBoolean(3)) {
                    throw new SQLException("replication slot '" + slotName + "' exists but is not a pgoutput slot"
                            + " of this database (plugin " + rs.getString(2) + "); drop it or name the pipeline"
                            + " differently");
                }
                String lsn = rs.getString(1);
                if (lsn == null) {
                    throw new SQLException("replication slot '" + slotName + "' has lost its WAL (no restart LSN):"
                            + " a re-sync is needed");
                }
                return LogPositions.parseLsn(lsn);
            }
        }
    }

    /**
     * The slot's {@code wal_status} ({@code reserved}, {@code extended}, {@code unreserved}, or
     * {@code lost} once PostgreSQL invalidated it), or null when there is no such slot.
     */
    public static String walStatus(Connection connection, String slotName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT coalesce(wal_status, 'reserved') FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public static boolean exists(Connection connection, String slotName) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Drops the slot and the publication while a reader may still stream from the slot: its
     * connection is ended first (PostgreSQL refuses to drop an active slot), again until the drop
     * succeeds or 30 s passed (a reader may connect again in between). Whether the slot existed.
     */
    public static boolean dropWhileActive(Connection connection, String slotName, String publicationName)
            throws SQLException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_terminate_backend(active_pid)"
                    + " FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
                ps.setString(1, slotName);
                ps.executeQuery().close();
            }
            try {
                return drop(connection, slotName, publicationName);
            } catch (SQLException e) {
                // 55006 object_in_use: the reader connected again before the drop
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(100_000_000L); // the ended backend lets go of the slot as it exits
            }
        }
    }

    /** Drops the slot and the publication; returns whether the slot existed. */
    public static boolean drop(Connection connection, String slotName, String publicationName) throws SQLException {
        boolean existed = exists(connection, slotName);
        if (existed) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                ps.setString(1, slotName);
                ps.executeQuery().close();
            }
        }
        try (PreparedStatement ps =
                connection.prepareStatement("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(publicationName))) {
            ps.execute();
        }
        return existed;
    }
}
