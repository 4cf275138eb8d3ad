package io.eltcdc.source.mysql;

import io.eltcdc.source.log.LogStart;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Questions about a MySQL or MariaDB server's binlog. */
public final class MySqlBinlog {
    private MySqlBinlog() {}

    /** Fails with what to change when the server does not log full row images. */
    public static void checkRowLogging(Connection connection) throws SQLException {
        String logBin = variable(connection, "log_bin");
        String format = variable(connection, "binlog_format");
        String image = variable(connection, "binlog_row_image");
        if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
            throw new SQLException("the server's binlog is off (log_bin=" + logBin + "): start it with log_bin,"
                    + " binlog_format=ROW, binlog_row_image=FULL and a server_id");
        }
        if (!"ROW".equalsIgnoreCase(format)) {
            throw new SQLException("binlog_format is " + format + ": continuous sync needs binlog_format=ROW");
        }
        if (image != null && !"FULL".equalsIgnoreCase(image)) {
            throw new SQLException("binlog_row_image is " + image + ": continuous sync needs binlog_row_image=FULL");
        }
    }

    /** {@code SHOW MASTER STATUS} (MariaDB, MySQL before 8.4) or {@code SHOW BINARY LOG STATUS}. */
    public static LogStart currentPosition(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = masterStatus(st)) {
                if (!rs.next()) {
                    throw new SQLException("the server reports no binlog position (SHOW MASTER STATUS is empty):"
                            + " is log_bin on, and does the user have the REPLICATION CLIENT privilege?");
                }
                return LogStart.mysql(rs.getString("File"), rs.getLong("Position"));
            }
        }
    }

    private static ResultSet masterStatus(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException e) {
            return st.executeQuery("SHOW BINARY LOG STATUS"); // MySQL 8.4 removed SHOW MASTER STATUS
        }
    }

    /** The binlog files the server still has. */
    public static List<String> files(Connection connection) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    /**
     * Bytes of binlog after {@code offset} in {@code file}: the sizes of that file and the later ones
     * ({@code SHOW BINARY LOGS}, in the server's order) less {@code offset}; -1 when the server no
     * longer has the file.
     */
    public static long bytesAfter(Connection connection, String file, long offset) throws SQLException {
        long bytes = 0;
        boolean found = false;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                found |= rs.getString(1).equals(file);
                if (found) {
                    bytes += rs.getLong(2);
                }
            }
        }
        return found ? Math.max(0, bytes - offset) : -1;
    }

    private static String variable(Connection connection, String name) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2).toUpperCase(Locale.ROOT) : null;
        }
    }
}
