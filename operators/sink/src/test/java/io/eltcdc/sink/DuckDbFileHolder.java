package io.eltcdc.sink;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A process that holds a DuckDB file open, as a query tool does, until its standard input ends:
 * DuckDB locks the file for other processes meanwhile. Run by {@link LoadRetryTest}.
 */
public final class DuckDbFileHolder {
    private DuckDbFileHolder() {}

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
            c.createStatement().execute("SELECT 1");
            System.out.println("holding " + args[0]);
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
