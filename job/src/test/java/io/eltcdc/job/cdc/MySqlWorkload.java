package io.eltcdc.job.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * The MySQL table of the continuous-sync tests, a workload of inserts, updates, deletes and key
 * updates against it, and its rows as canonical text to compare with a PostgreSQL destination.
 */
final class MySqlWorkload {
    private final String url;
    private final Random random;
    private long nextId = 1_000_000;

    MySqlWorkload(String url, long seed) {
        this.url = url;
        this.random = new Random(seed);
    }

    static void createTable(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE orders (
                      id BIGINT PRIMARY KEY,
                      customer VARCHAR(100) NOT NULL,
                      amount DECIMAL(12,2),
                      status ENUM('new', 'updated', 'shipped'),
                      flag TINYINT(1),
                      updated_at DATETIME(6),
                      created TIMESTAMP(3) NULL,
                      placed DATE,
                      note TEXT,
                      big BIGINT UNSIGNED) ENGINE=InnoDB""");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, 'new', ?,"
                + " TIMESTAMP('2024-01-01 00:00:00') + INTERVAL ? SECOND + INTERVAL 123456 MICROSECOND,"
                + " FROM_UNIXTIME(1700000000 + ?), DATE('2024-01-01') + INTERVAL ? DAY, ?, ?)")) {
            for (long n = 1; n <= rows; n++) {
                ps.setLong(1, n);
                ps.setString(2, "customer " + n);
                ps.setBigDecimal(3, java.math.BigDecimal.valueOf((n % 1000) * 125, 2));
                ps.setLong(4, n % 2);
                ps.setLong(5, n);
                ps.setLong(6, n);
                ps.setLong(7, n % 300);
                ps.setString(8, n % 7 == 0 ? null : "note " + n);
                ps.setBigDecimal(
                        9, new java.math.BigDecimal("18446744073709551615").subtract(java.math.BigDecimal.valueOf(n)));
                ps.addBatch();
                if (n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Runs {@code count} transactions of 1–5 random changes each. */
    void run(int count) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                int changes = 1 + random.nextInt(5);
                for (int j = 0; j < changes; j++) {
                    change(c);
                }
                c.commit();
            }
        }
    }

    private void change(Connection c) throws SQLException {
        long id = 1 + random.nextInt(10_000);
        switch (random.nextInt(8)) {
            case 0, 1 ->
                execute(
                        c,
                        "INSERT INTO orders VALUES (?, 'new customer', 9.99, 'new', 1, NOW(6),"
                                + " CURRENT_TIMESTAMP(3), CURDATE(), 'fresh', 42)",
                        nextId++);
            case 2, 3, 4 ->
                execute(
                        c,
                        "UPDATE orders SET amount = amount + 1, status = 'updated', flag = 1 - flag,"
                                + " updated_at = NOW(6) WHERE id = ?",
                        id);
            case 5 -> execute(c, "DELETE FROM orders WHERE id = ?", id);
            case 6 -> execute(c, "UPDATE orders SET id = id + 2000000 WHERE id = ?", id); // key update
            default -> execute(c, "UPDATE orders SET note = NULL, big = big - 1 WHERE id = ?", id);
        }
    }

    private static void execute(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** The source rows as text, ordered by id. */
    static final String SOURCE_ROWS =
            "SELECT CONCAT_WS('|', id, customer, COALESCE(amount, '-'), COALESCE(status, '-'),"
                    + " COALESCE(flag, '-'), COALESCE(DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f'), '-'),"
                    + " COALESCE(ROUND(UNIX_TIMESTAMP(created) * 1000), '-'), COALESCE(placed, '-'), COALESCE(note, '-'),"
                    + " COALESCE(big, '-')) FROM orders ORDER BY id";

    /** The same, from a PostgreSQL destination's {@code schema.orders}. */
    static String destinationRows(String schema) {
        return "SELECT concat_ws('|', id, customer, COALESCE(amount::text, '-'), COALESCE(status, '-'),"
                + " COALESCE((CASE WHEN flag THEN 1 ELSE 0 END)::text, '-'),"
                + " COALESCE(to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US'), '-'),"
                + " COALESCE(round(extract(epoch from created) * 1000)::text, '-'), COALESCE(placed::text, '-'),"
                + " COALESCE(note, '-'), COALESCE(big::text, '-')) FROM " + schema + ".orders ORDER BY id";
    }
}
