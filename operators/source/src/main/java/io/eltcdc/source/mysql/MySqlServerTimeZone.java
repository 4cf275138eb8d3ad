package io.eltcdc.source.mysql;

import io.eltcdc.source.dialect.SourceKind.ConnectionOpener;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The MySQL server's time zone, which the change-log reader needs and the user need not configure. */
final class MySqlServerTimeZone {
    private MySqlServerTimeZone() {}

    /**
     * The configured {@code source.server-time-zone}, else the server's own ({@code @@time_zone},
     * or {@code @@system_time_zone} when that is {@code SYSTEM}), else its current offset from UTC.
     * The binlog reader turns TIMESTAMP values into instants with it; a wrong zone shifts them.
     *
     * @param server {@code host:port}, for the message
     */
    static String of(String configured, ConnectionOpener opener, String server) {
        if (configured != null) {
            return configured;
        }
        try (Connection c = opener.open();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT @@time_zone, @@system_time_zone," + " TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")) {
            rs.next();
            String zone = "SYSTEM".equalsIgnoreCase(rs.getString(1)) ? rs.getString(2) : rs.getString(1);
            try {
                return ZoneId.of(zone).getId();
            } catch (DateTimeException | NullPointerException e) {
                return ZoneOffset.ofTotalSeconds(rs.getInt(3)).getId(); // e.g. "CEST": not a Java zone id
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not read the time zone of the MySQL server " + server + ": " + e.getMessage()
                            + "; set source.server-time-zone",
                    e);
        }
    }
}
