package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.TableComparison;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestMySql;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tables created in the source while a continuous pipeline with {@code tables: [schema.*]} streams:
 * with {@code source.capture-new-tables} their changes (inserts, updates, deletes made after the
 * table was created) reach the destination beside those of a table that was there at start; without
 * it the new table is never created in the destination while the old one keeps flowing.
 */
class NewTableChangeLogTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void postgresTableCreatedWhileStreamingIsCaptured() throws Exception {
        String sourceUrl = postgresSource("nt_pg_on_source");
        String destUrl = TestPostgres.createDatabase("nt_pg_on_dest");
        JobClient job = ContinuousSyncPostgresTest.start(
                config("nt-pg-on", "postgres", JdbcUrl.parse(sourceUrl), "shop", destUrl, true));
        try {
            awaitStreaming(sourceUrl, destUrl, "UPDATE shop.orders SET note = 'streaming' WHERE id = 1");
            Sql.exec(
                    sourceUrl,
                    "CREATE TABLE shop.customers (id int PRIMARY KEY, name text, score numeric(8,2),"
                            + " seen timestamptz)",
                    "INSERT INTO shop.customers SELECT g, 'customer ' || g, g * 1.25,"
                            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour' FROM generate_series(1, 200) g",
                    "UPDATE shop.customers SET name = 'renamed', score = score + 1 WHERE id BETWEEN 10 AND 40",
                    "DELETE FROM shop.customers WHERE id > 180",
                    "CREATE TABLE shop.\"Audit Log\" (at bigint, what text)", // no key: appended
                    "INSERT INTO shop.\"Audit Log\" SELECT g, 'event ' || g FROM generate_series(1, 30) g",
                    "UPDATE shop.orders SET note = 'after create' WHERE id BETWEEN 5 AND 15",
                    "INSERT INTO shop.orders SELECT g, 'late ' || g FROM generate_series(101, 120) g",
                    "DELETE FROM shop.orders WHERE id = 2");
            awaitPostgresEqual(sourceUrl, destUrl, "orders", "customers", "Audit Log");
        } finally {
            job.cancel().get();
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "nt-pg-on");
        }
    }

    @Test
    void postgresTableCreatedWhileStreamingIsLeftOutWhenTheOptionIsOff() throws Exception {
        String sourceUrl = postgresSource("nt_pg_off_source");
        String destUrl = TestPostgres.createDatabase("nt_pg_off_dest");
        JobClient job = ContinuousSyncPostgresTest.start(
                config("nt-pg-off", "postgres", JdbcUrl.parse(sourceUrl), "shop", destUrl, false));
        try {
            awaitStreaming(sourceUrl, destUrl, "UPDATE shop.orders SET note = 'streaming' WHERE id = 1");
            Sql.exec(
                    sourceUrl,
                    "CREATE TABLE shop.customers (id int PRIMARY KEY, name text)",
                    "INSERT INTO shop.customers SELECT g, 'customer ' || g FROM generate_series(1, 50) g",
                    "UPDATE shop.orders SET note = 'after create' WHERE id BETWEEN 5 AND 15");
            awaitPostgresEqual(sourceUrl, destUrl, "orders");
            // A later change of orders loaded means every batch up to the new table's rows was loaded.
            awaitStreaming(sourceUrl, destUrl, "UPDATE shop.orders SET note = 'later' WHERE id = 3");
            assertThat(destinationHas(destUrl, "customers"))
                    .as("new table in the destination")
                    .isFalse();
        } finally {
            job.cancel().get();
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "nt-pg-off");
        }
    }

    @Test
    void mysqlTableCreatedWhileStreamingIsCaptured() throws Exception {
        String sourceUrl = mySqlSource("nt_my_on_source");
        String destUrl = TestPostgres.createDatabase("nt_my_on_dest");
        JdbcUrl src = TestMySql.parts(sourceUrl);
        JobClient job =
                ContinuousSyncPostgresTest.start(config("nt-my-on", "mysql", src, src.database(), destUrl, true));
        try {
            awaitMySqlStreaming(sourceUrl, destUrl, "UPDATE orders SET note = 'streaming' WHERE id = 1");
            Sql.exec(
                    sourceUrl,
                    "CREATE TABLE customers (id int PRIMARY KEY, name varchar(40), score decimal(8,2))",
                    "INSERT INTO customers SELECT seq, CONCAT('customer ', seq), seq * 1.25 FROM seq_1_to_200",
                    "UPDATE customers SET name = 'renamed', score = score + 1 WHERE id BETWEEN 10 AND 40",
                    "DELETE FROM customers WHERE id > 180",
                    "UPDATE orders SET note = 'after create' WHERE id BETWEEN 5 AND 15",
                    "INSERT INTO orders SELECT seq, CONCAT('late ', seq) FROM seq_101_to_120",
                    "DELETE FROM orders WHERE id = 2");
            awaitMySqlEqual(
                    sourceUrl,
                    destUrl,
                    "orders",
                    "SELECT CONCAT_WS('|', id, note) FROM orders ORDER BY id",
                    "SELECT concat_ws('|', id, note) FROM copy.orders ORDER BY id");
            awaitMySqlEqual(
                    sourceUrl,
                    destUrl,
                    "customers",
                    "SELECT CONCAT_WS('|', id, name, score) FROM customers ORDER BY id",
                    "SELECT concat_ws('|', id, name, score) FROM copy.customers ORDER BY id");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void mysqlTableCreatedWhileStreamingIsLeftOutWhenTheOptionIsOff() throws Exception {
        String sourceUrl = mySqlSource("nt_my_off_source");
        String destUrl = TestPostgres.createDatabase("nt_my_off_dest");
        JdbcUrl src = TestMySql.parts(sourceUrl);
        JobClient job =
                ContinuousSyncPostgresTest.start(config("nt-my-off", "mysql", src, src.database(), destUrl, false));
        try {
            awaitMySqlStreaming(sourceUrl, destUrl, "UPDATE orders SET note = 'streaming' WHERE id = 1");
            Sql.exec(
                    sourceUrl,
                    "CREATE TABLE customers (id int PRIMARY KEY, name varchar(40))",
                    "INSERT INTO customers SELECT seq, CONCAT('customer ', seq) FROM seq_1_to_50",
                    "UPDATE orders SET note = 'after create' WHERE id BETWEEN 5 AND 15");
            awaitMySqlEqual(
                    sourceUrl,
                    destUrl,
                    "orders",
                    "SELECT CONCAT_WS('|', id, note) FROM orders ORDER BY id",
                    "SELECT concat_ws('|', id, note) FROM copy.orders ORDER BY id");
            awaitMySqlStreaming(sourceUrl, destUrl, "UPDATE orders SET note = 'later' WHERE id = 3");
            assertThat(destinationHas(destUrl, "customers"))
                    .as("new table in the destination")
                    .isFalse();
        } finally {
            job.cancel().get();
        }
    }

    private static String postgresSource(String name) throws SQLException {
        String url = TestPostgres.createDatabase(name);
        Sql.exec(
                url,
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.orders (id bigint PRIMARY KEY, note text)",
                "INSERT INTO shop.orders SELECT g, 'order ' || g FROM generate_series(1, 100) g");
        return url;
    }

    private static String mySqlSource(String name) throws SQLException {
        String url = TestMySql.createDatabase(name);
        Sql.exec(
                url,
                "CREATE TABLE orders (id bigint PRIMARY KEY, note varchar(40))",
                "INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_100");
        return url;
    }

    private static PipelineConfig config(
            String name, String type, JdbcUrl src, String schema, String destUrl, boolean captureNewTables)
            throws Exception {
        return TestPipelines.toPostgres(
                name, type, src, "[" + schema + ".*]", "capture-new-tables: " + captureNewTables, destUrl);
    }

    /** Makes a change to shop.orders and waits until the destination equals the source (so the log is read). */
    private static void awaitStreaming(String sourceUrl, String destUrl, String change) throws Exception {
        awaitPostgresEqual(sourceUrl, destUrl, "orders");
        Sql.exec(sourceUrl, change);
        awaitPostgresEqual(sourceUrl, destUrl, "orders");
    }

    private static void awaitMySqlStreaming(String sourceUrl, String destUrl, String change) throws Exception {
        String mysql = "SELECT CONCAT_WS('|', id, note) FROM orders ORDER BY id";
        String postgres = "SELECT concat_ws('|', id, note) FROM copy.orders ORDER BY id";
        awaitMySqlEqual(sourceUrl, destUrl, "orders", mysql, postgres);
        Sql.exec(sourceUrl, change);
        awaitMySqlEqual(sourceUrl, destUrl, "orders", mysql, postgres);
    }

    private static void awaitPostgresEqual(String sourceUrl, String destUrl, String... tables) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            utc(src);
            utc(dst);
            Await.until("the destination to equal the source for " + List.of(tables), CATCH_UP, () -> {
                for (String table : tables) {
                    if (!Objects.equals(
                            TableComparison.sourceRows(src, "shop", table), destinationRows(src, dst, table))) {
                        return false;
                    }
                }
                return true;
            });
            for (String table : tables) {
                assertThat(TableComparison.destinationRows(
                                src, "shop", table, dst, TableComparison.Dialect.POSTGRES, "copy"))
                        .as(table)
                        .containsExactlyElementsOf(TableComparison.sourceRows(src, "shop", table));
            }
        }
    }

    private static List<String> destinationRows(Connection src, Connection dst, String table) {
        try {
            return TableComparison.destinationRows(src, "shop", table, dst, TableComparison.Dialect.POSTGRES, "copy");
        } catch (SQLException e) {
            return null; // the target table is not there yet
        }
    }

    private static void awaitMySqlEqual(String sourceUrl, String destUrl, String table, String mysql, String postgres)
            throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until("the destination to equal the source for " + table, CATCH_UP, () -> {
                try {
                    return Sql.rows(src, mysql).equals(Sql.rows(dst, postgres));
                } catch (SQLException e) {
                    return false; // the target table is not there yet
                }
            });
            assertThat(Sql.rows(dst, postgres)).as(table).containsExactlyElementsOf(Sql.rows(src, mysql));
        }
    }

    private static boolean destinationHas(String destUrl, String table) throws SQLException {
        try (Connection dst = DriverManager.getConnection(destUrl);
                Statement s = dst.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('copy." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void utc(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
    }
}
