package io.eltcdc.job.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * The tables of the continuous-sync tests and a workload of inserts, updates, deletes and key
 * updates against them, in small transactions, deterministic per seed.
 *
 * <p>{@code orders.note} holds a 6 KB text, which PostgreSQL stores out of line (TOAST): an update
 * that leaves it alone does not log its value, which the pipeline must not turn into a placeholder.
 */
final class PostgresWorkload {
    static final int FIRST_NEW_ID = 1_000_000;

    private final String url;
    private final Random random;
    private long nextId = FIRST_NEW_ID;
    private int transactions;

    PostgresWorkload(String url, long seed) {
        this.url = url;
        this.random = new Random(seed);
    }

    static void createTables(Connection c, int orders) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE public.orders (
                      id bigint PRIMARY KEY,
                      customer text NOT NULL,
                      amount numeric(12,2),
                      status text,
                      updated_at timestamptz,
                      placed date,
                      note text)""");
            // Out of line without compression: a 6 KB note is TOASTed whatever its content.
            s.execute("ALTER TABLE public.orders ALTER COLUMN note SET STORAGE EXTERNAL");
            s.execute("""
                    CREATE TABLE public.lines (
                      order_id bigint, line int, sku text, qty int,
                      PRIMARY KEY (order_id, line))""");
            s.execute("INSERT INTO public.orders SELECT g, 'customer ' || g, (g % 1000) * 1.25, 'new',"
                    + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', date '2024-01-01' + (g % 300),"
                    + " CASE WHEN g % 50 = 0 THEN repeat(md5(g::text), 200) END FROM generate_series(1, " + orders
                    + ") g");
            s.execute("INSERT INTO public.lines SELECT g / 2 + 1, g % 2, 'sku-' || g, g % 7 FROM generate_series(0, "
                    + (orders - 1) + ") g");
        }
    }

    int transactions() {
        return transactions;
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
                transactions++;
            }
        }
    }

    private void change(Connection c) throws SQLException {
        int kind = random.nextInt(10);
        long id = 1 + random.nextInt(20_000);
        switch (kind) {
            case 0, 1 ->
                execute(
                        c,
                        "INSERT INTO public.orders (id, customer, amount, status, updated_at, placed, note)"
                                + " VALUES (?, 'new customer', 9.99, 'new', now(), current_date, repeat('x', 6000))",
                        nextId++);
            case 2, 3, 4 ->
                execute(
                        c,
                        "UPDATE public.orders SET amount = amount + 1, status = 'updated',"
                                + " updated_at = now() WHERE id = ?",
                        id);
            case 5 -> execute(c, "DELETE FROM public.orders WHERE id = ?", id);
            case 6 -> execute(c, "UPDATE public.orders SET id = id + 2000000 WHERE id = ?", id); // key update
            case 7 -> execute(c, "UPDATE public.orders SET note = 'short ' || id WHERE id = ?", id);
            case 8 -> execute(c, "UPDATE public.lines SET qty = qty + 1 WHERE order_id = ?", id);
            default -> execute(c, "DELETE FROM public.lines WHERE order_id = ?", id);
        }
    }

    private static void execute(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
