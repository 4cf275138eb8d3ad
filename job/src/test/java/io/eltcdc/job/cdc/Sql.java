package io.eltcdc.job.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The few plain SQL calls the change-log tests make against sources and destinations. */
final class Sql {
    private Sql() {}

    /** Runs each statement in turn, in autocommit mode. */
    static void exec(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The first column of every row of {@code sql}, as text. */
    static List<String> rows(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return rows(c, sql);
        }
    }

    /** The first column of every row of {@code sql}, as text. */
    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
