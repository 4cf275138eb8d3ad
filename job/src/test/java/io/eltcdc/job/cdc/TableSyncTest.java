package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.TableResync;
import io.eltcdc.model.TableId;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestMySql;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables synced while the pipeline streams: a table re-synced on request (after the destination
 * drifted, and after a type change stopped it) ends equal to the source while writes to it and to
 * another table go on; a table that appears after the start with rows the change log never carried
 * (moved in from another schema) is captured. PostgreSQL and MariaDB.
 */
class TableSyncTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String SYNC_OPTIONS = "chunk-size: 500, capture-new-tables: true, allow-resync: true";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** In both modes: with the change log read beside the initial snapshot too. */
    @ParameterizedTest(name = "log-during-snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void postgresResyncNewTableAndTypeChangeWayOut(boolean logDuringSnapshot) throws Exception {
        String src = TestPostgres.createDatabase("sync_pg_source");
        String dst = TestPostgres.createDatabase("sync_pg_dest");
        Sql.exec(
                src,
                "CREATE TABLE public.items (id int PRIMARY KEY, name text, qty int)",
                "INSERT INTO public.items SELECT g, 'item ' || g, g FROM generate_series(1, 3000) g",
                "CREATE TABLE public.orders (id int PRIMARY KEY, item int, amount numeric(10,2))",
                "INSERT INTO public.orders SELECT g, g % 100, g * 1.5 FROM generate_series(1, 500) g",
                "CREATE TABLE public.labels (id int PRIMARY KEY, code numeric(6,2))",
                "INSERT INTO public.labels SELECT g, g * 0.25 FROM generate_series(1, 50) g");
        PipelineConfig config = TestPipelines.toPostgres(
                "sync-pg",
                "postgres",
                JdbcUrl.parse(src),
                "[\"public.*\"]",
                SYNC_OPTIONS + ", log-during-snapshot: " + logDuringSnapshot,
                dst);
        JobClient job = ContinuousSyncPostgresTest.start(config);
        try {
            List<String> tables = List.of("items", "orders", "labels");
            awaitEqual(src, dst, tables, POSTGRES_ROWS);

            // The destination drifted (rows changed and lost there); writes go on during the re-sync.
            Sql.exec(
                    dst,
                    "UPDATE copy.items SET name = 'drifted' WHERE id % 7 = 0",
                    "DELETE FROM copy.items WHERE id > 2900");
            Thread writer = writes(
                    src,
                    "UPDATE public.items SET qty = qty + 1 WHERE id = %d",
                    "DELETE FROM public.items WHERE id = %d + 1000",
                    "UPDATE public.orders SET amount = amount + 1 WHERE id = %d");
            TableResync.request(config, new TableId("public", "items"));
            writer.join();
            awaitEqual(src, dst, tables, POSTGRES_ROWS);

            // A type change the destination cannot follow stops "labels"; its re-sync is the way out.
            Sql.exec(
                    src,
                    "ALTER TABLE public.labels ALTER COLUMN code TYPE bigint USING round(code)::bigint",
                    "UPDATE public.labels SET code = 3000000000 WHERE id = 2");
            Sql.exec(src, "UPDATE public.orders SET amount = 0 WHERE id = 1");
            awaitEqual(src, dst, List.of("orders"), POSTGRES_ROWS);
            TableResync.request(config, new TableId("public", "labels"));
            awaitEqual(src, dst, tables, POSTGRES_ROWS);
            assertThat(Sql.rows(
                            dst,
                            "SELECT data_type FROM information_schema.columns WHERE table_schema = 'copy'"
                                    + " AND table_name = 'labels' AND column_name = 'code'"))
                    .containsExactly("bigint");

            // A table that appears later with rows the change log never saw: moved into the schema.
            Sql.exec(
                    src,
                    "CREATE SCHEMA elsewhere",
                    "CREATE TABLE elsewhere.fresh (id int PRIMARY KEY, note text)",
                    "INSERT INTO elsewhere.fresh SELECT g, 'fresh ' || g FROM generate_series(1, 700) g",
                    "ALTER TABLE elsewhere.fresh SET SCHEMA public",
                    "UPDATE public.fresh SET note = 'changed' WHERE id <= 10",
                    "DELETE FROM public.fresh WHERE id > 690");
            awaitEqual(src, dst, List.of("items", "orders", "labels", "fresh"), POSTGRES_ROWS);
        } finally {
            stop(job);
            ContinuousSyncPostgresTest.dropSlot(src, "sync-pg");
        }
    }

    @Test
    void mysqlResyncAndNewTable() throws Exception {
        String src = TestMySql.createDatabase("sync_my_source");
        String dst = TestPostgres.createDatabase("sync_my_dest");
        Sql.exec(
                src,
                "CREATE TABLE items (id int PRIMARY KEY, name varchar(40), qty int)",
                "INSERT INTO items SELECT seq, CONCAT('item ', seq), seq FROM seq_1_to_3000",
                "CREATE TABLE orders (id int PRIMARY KEY, item int, amount decimal(10,2))",
                "INSERT INTO orders SELECT seq, seq % 100, seq * 1.5 FROM seq_1_to_500");
        JdbcUrl parts = TestMySql.parts(src);
        PipelineConfig config = TestPipelines.toPostgres(
                "sync-my", "mysql", parts, "[\"" + parts.database() + ".*\"]", SYNC_OPTIONS, dst);
        JobClient job = ContinuousSyncPostgresTest.start(config);
        try {
            List<String> tables = List.of("items", "orders");
            awaitEqual(src, dst, tables, MYSQL_ROWS);

            Sql.exec(
                    dst,
                    "UPDATE copy.items SET name = 'drifted' WHERE id % 7 = 0",
                    "DELETE FROM copy.items WHERE id > 2900");
            Thread writer = writes(
                    src,
                    "UPDATE items SET qty = qty + 1 WHERE id = %d",
                    "DELETE FROM items WHERE id = %d + 1000",
                    "UPDATE orders SET amount = amount + 1 WHERE id = %d");
            TableResync.request(config, new TableId(parts.database(), "items"));
            writer.join();
            awaitEqual(src, dst, tables, MYSQL_ROWS);

            // A table that appears later with rows the binlog never carried: renamed in from another database.
            Sql.exec(
                    src,
                    "DROP DATABASE IF EXISTS sync_my_elsewhere",
                    "CREATE DATABASE sync_my_elsewhere",
                    "CREATE TABLE sync_my_elsewhere.fresh (id int PRIMARY KEY, note varchar(40))",
                    "INSERT INTO sync_my_elsewhere.fresh SELECT seq, CONCAT('fresh ', seq) FROM seq_1_to_700",
                    "RENAME TABLE sync_my_elsewhere.fresh TO fresh",
                    "UPDATE fresh SET note = 'changed' WHERE id <= 10",
                    "DELETE FROM fresh WHERE id > 690");
            awaitEqual(src, dst, List.of("items", "orders", "fresh"), MYSQL_ROWS);
        } finally {
            stop(job);
        }
    }

    /** Cancels the job; a job that failed instead fails the test with the job's own errors. */
    private static void stop(JobClient job) throws Exception {
        try {
            job.cancel().get();
        } catch (java.util.concurrent.ExecutionException e) {
            org.apache.flink.configuration.Configuration client = CLUSTER.getClientConfiguration();
            io.eltcdc.job.cluster.FlinkRest rest = new io.eltcdc.job.cluster.FlinkRest("http://"
                    + client.get(org.apache.flink.configuration.RestOptions.ADDRESS) + ":"
                    + client.get(org.apache.flink.configuration.RestOptions.PORT));
            StringBuilder errors = new StringBuilder();
            for (var entry : rest.get("/jobs/" + job.getJobID().toHexString() + "/exceptions")
                    .path("exceptionHistory")
                    .path("entries")) {
                errors.append("\n  ")
                        .append(entry.path("stacktrace")
                                .asText()
                                .lines()
                                .findFirst()
                                .orElse(""));
            }
            throw new AssertionError("the pipeline failed instead of streaming on:" + errors, e);
        }
    }

    /** A table's rows as text, the same for the source and the destination. */
    private interface RowQuery {
        String of(String table, boolean source);
    }

    private static final RowQuery POSTGRES_ROWS = (table, source) -> "SELECT concat_ws('|', " + columns(table, "::text")
            + ") FROM " + (source ? "public." : "copy.") + table + " ORDER BY 1";

    private static final RowQuery MYSQL_ROWS = (table, source) -> source
            ? "SELECT CONCAT_WS('|', " + columns(table, "") + ") FROM " + table + " ORDER BY 1"
            : POSTGRES_ROWS.of(table, false);

    /** The compared columns, the key padded so that text order is key order. */
    private static String columns(String table, String idCast) {
        String id = "lpad(id" + idCast + ", 6, '0')";
        return switch (table) {
            case "items" -> id + ", name, qty";
            case "orders" -> id + ", item, amount";
            case "labels" -> id + ", code";
            default -> id + ", note";
        };
    }

    private static void awaitEqual(String src, String dst, List<String> tables, RowQuery query) throws Exception {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            Await.until("the destination to equal the source: " + tables, CATCH_UP, () -> {
                for (String table : tables) {
                    try {
                        List<String> want = Sql.rows(src, query.of(table, true));
                        List<String> have = Sql.rows(dst, query.of(table, false));
                        if (!want.equals(have)) {
                            last.set(table + ": " + want.size() + " source rows, " + have.size() + " destination rows");
                            return false;
                        }
                    } catch (SQLException e) {
                        last.set(table + ": " + e.getMessage());
                        return false;
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last difference: " + last.get(), e);
        }
    }

    /** Writes to the source in the background, a few hundred statements spread over the re-sync. */
    private static Thread writes(String url, String... statements) {
        Thread thread = new Thread(
                () -> {
                    try (Connection c = DriverManager.getConnection(url);
                            Statement s = c.createStatement()) {
                        for (int i = 1; i <= 300; i++) {
                            for (String sql : statements) {
                                s.execute(String.format(sql, i));
                            }
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "source writes");
        thread.start();
        return thread;
    }
}
