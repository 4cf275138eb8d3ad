package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.TableComparison;
import io.eltcdc.job.cluster.FlinkRest;
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
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Columns added, widened, dropped and renamed in the source while the pipeline streams, with writes
 * before and after each change: the destination gains the new column, widens the widened one (int
 * to bigint, then a value beyond int), keeps the dropped one (NULL in rows written after the drop),
 * renames the renamed one with its values, and ends equal to the source for every surviving column. A type change the destination cannot
 * follow (numeric to bigint) stops only its table; the other keeps streaming.
 */
class SchemaChangeTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void postgresColumnsAddedWidenedDroppedAndRenamedWhileStreaming() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("schema_pg_source");
        String destUrl = TestPostgres.createDatabase("schema_pg_dest");
        Sql.exec(
                sourceUrl,
                "CREATE TABLE public.items (id bigint PRIMARY KEY, name text, amount numeric(10,2), qty int)",
                "INSERT INTO public.items SELECT g, 'item ' || g, g * 0.5, g FROM generate_series(1, 500) g",
                "CREATE TABLE public.labels (id int PRIMARY KEY, code numeric(6,2))",
                "INSERT INTO public.labels SELECT g, g * 0.25 FROM generate_series(1, 50) g");
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JobClient job = ContinuousSyncPostgresTest.start(
                TestPipelines.toPostgres("schema-pg", "postgres", src, "[public.items, public.labels]", "", destUrl));
        try {
            awaitPostgresEqual(sourceUrl, destUrl);
            // numeric(6,2) -> bigint: the destination cannot follow; only "labels" stops.
            Sql.exec(sourceUrl, "UPDATE public.labels SET code = 9.75 WHERE id = 1");
            List<String> labelsBefore = awaitLabels(destUrl, "1|9.75");
            Sql.exec(
                    sourceUrl,
                    "ALTER TABLE public.labels ALTER COLUMN code TYPE bigint USING round(code)::bigint",
                    "UPDATE public.labels SET code = 3000000000 WHERE id = 2",
                    "INSERT INTO public.labels VALUES (51, 5)");
            Sql.exec(
                    sourceUrl,
                    "UPDATE public.items SET name = 'before add' WHERE id <= 10",
                    "ALTER TABLE public.items ADD COLUMN color text",
                    "INSERT INTO public.items VALUES (1001, 'new', 1.5, 7, 'red')",
                    "UPDATE public.items SET color = 'blue', amount = amount + 1 WHERE id BETWEEN 5 AND 20",
                    "ALTER TABLE public.items ALTER COLUMN qty TYPE bigint",
                    "UPDATE public.items SET qty = 3000000000 WHERE id = 3",
                    "ALTER TABLE public.items DROP COLUMN amount",
                    "INSERT INTO public.items (id, name, color) VALUES (1002, 'after drop', 'green')",
                    "UPDATE public.items SET name = 'after drop' WHERE id BETWEEN 15 AND 30",
                    "DELETE FROM public.items WHERE id = 2",
                    "ALTER TABLE public.items RENAME COLUMN color TO \"Colour\"",
                    "UPDATE public.items SET \"Colour\" = 'teal' WHERE id BETWEEN 18 AND 25",
                    "INSERT INTO public.items (id, name, \"Colour\") VALUES (1003, 'after rename', 'plum')");
            awaitPostgresEqual(sourceUrl, destUrl);
            assertOnlyLabelsStopped(job, destUrl, labelsBefore);
        } finally {
            job.cancel().get();
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "schema-pg");
        }
        assertDroppedColumnKept(destUrl, "amount");
    }

    @Test
    void mysqlColumnsAddedWidenedDroppedAndRenamedWhileStreaming() throws Exception {
        String sourceUrl = TestMySql.createDatabase("schema_my_source");
        String destUrl = TestPostgres.createDatabase("schema_my_dest");
        Sql.exec(
                sourceUrl,
                "CREATE TABLE items (id bigint PRIMARY KEY, name varchar(50), amount decimal(10,2), qty int)",
                "CREATE TABLE labels (id int PRIMARY KEY, code decimal(6,2))",
                "INSERT INTO labels SELECT seq, seq * 0.25 FROM seq_1_to_50");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 500; i++) {
                s.addBatch("INSERT INTO items VALUES (" + i + ", 'item " + i + "', " + i * 0.5 + ", " + i + ")");
            }
            s.executeBatch();
        }
        JdbcUrl src = TestMySql.parts(sourceUrl);
        JobClient job = ContinuousSyncPostgresTest.start(TestPipelines.toPostgres(
                "schema-my",
                "mysql",
                src,
                "[" + src.database() + ".items, " + src.database() + ".labels]",
                "",
                destUrl));
        try {
            awaitMySqlEqual(sourceUrl, destUrl);
            Sql.exec(sourceUrl, "UPDATE labels SET code = 9.75 WHERE id = 1");
            List<String> labelsBefore = awaitLabels(destUrl, "1|9.75");
            Sql.exec(
                    sourceUrl,
                    "ALTER TABLE labels MODIFY code BIGINT",
                    "UPDATE labels SET code = 3000000000 WHERE id = 2",
                    "INSERT INTO labels VALUES (51, 5)");
            Sql.exec(
                    sourceUrl,
                    "UPDATE items SET name = 'before add' WHERE id <= 10",
                    "ALTER TABLE items ADD COLUMN color varchar(20)",
                    "INSERT INTO items VALUES (1001, 'new', 1.5, 7, 'red')",
                    "UPDATE items SET color = 'blue', amount = amount + 1 WHERE id BETWEEN 5 AND 20",
                    "ALTER TABLE items MODIFY qty BIGINT",
                    "UPDATE items SET qty = 3000000000 WHERE id = 3",
                    "ALTER TABLE items DROP COLUMN amount",
                    "INSERT INTO items (id, name, color) VALUES (1002, 'after drop', 'green')",
                    "UPDATE items SET name = 'after drop' WHERE id BETWEEN 15 AND 30",
                    "DELETE FROM items WHERE id = 2",
                    "ALTER TABLE items RENAME COLUMN color TO colour",
                    "UPDATE items SET colour = 'teal' WHERE id BETWEEN 18 AND 25",
                    "INSERT INTO items (id, name, colour) VALUES (1003, 'after rename', 'plum')");
            awaitMySqlEqual(sourceUrl, destUrl);
            assertOnlyLabelsStopped(job, destUrl, labelsBefore);
        } finally {
            job.cancel().get();
        }
        assertDroppedColumnKept(destUrl, "amount");
    }

    private static void awaitPostgresEqual(String sourceUrl, String destUrl) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until("the destination to equal the source", CATCH_UP, () -> {
                try {
                    return Objects.equals(
                            TableComparison.sourceRows(src, "public", "items"),
                            TableComparison.destinationRows(
                                    src, "public", "items", dst, TableComparison.Dialect.POSTGRES, "copy"));
                } catch (SQLException e) {
                    return false; // not created yet, or the new column not added yet
                }
            });
            assertThat(TableComparison.destinationRows(
                            src, "public", "items", dst, TableComparison.Dialect.POSTGRES, "copy"))
                    .containsExactlyElementsOf(TableComparison.sourceRows(src, "public", "items"));
        }
    }

    /** MySQL's surviving columns (id, name, color when present) against the destination's. */
    private static void awaitMySqlEqual(String sourceUrl, String destUrl) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until("the destination to equal the source", CATCH_UP, () -> {
                try {
                    return mySqlRows(src, dst).get(0).equals(mySqlRows(src, dst).get(1));
                } catch (SQLException e) {
                    return false;
                }
            });
            List<List<String>> rows = mySqlRows(src, dst);
            assertThat(rows.get(1)).containsExactlyElementsOf(rows.get(0));
        }
    }

    /** The surviving columns, the color column under its current name (color, then colour). */
    private static List<List<String>> mySqlRows(Connection src, Connection dst) throws SQLException {
        String color = hasColumn(src, "colour") ? "colour" : hasColumn(src, "color") ? "color" : null;
        String mysql = "SELECT CONCAT_WS('|', id, COALESCE(name, '-'), COALESCE(qty, '-')"
                + (color != null ? ", COALESCE(" + color + ", '-')" : "") + ") FROM items ORDER BY id";
        String postgres = "SELECT concat_ws('|', id, COALESCE(name, '-'), COALESCE(qty::text, '-')"
                + (color != null ? ", COALESCE(" + color + ", '-')" : "") + ") FROM copy.items ORDER BY id";
        return List.of(Sql.rows(src, mysql), Sql.rows(dst, postgres));
    }

    private static boolean hasColumn(Connection mysql, String column) throws SQLException {
        try (Statement s = mysql.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_schema = DATABASE()"
                                + " AND table_name = 'items' AND column_name = '" + column + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /** Waits until the destination's "labels" hold {@code row} ({@code id|code}) and returns all its rows. */
    private static List<String> awaitLabels(String destUrl, String row) throws Exception {
        try (Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until(
                    "labels row " + row + " in the destination",
                    CATCH_UP,
                    () -> labels(dst).contains(row));
            return labels(dst);
        }
    }

    private static List<String> labels(Connection dst) throws SQLException {
        return Sql.rows(dst, "SELECT id || '|' || code FROM copy.labels ORDER BY id");
    }

    /**
     * The type change stopped "labels" only: it keeps its rows from before the change (the later
     * changes of "items" arrived, so the job read past it), the job still runs, and the table's
     * {@code loadStopped} metric says so.
     */
    private static void assertOnlyLabelsStopped(JobClient job, String destUrl, List<String> labelsBefore)
            throws Exception {
        try (Connection dst = DriverManager.getConnection(destUrl)) {
            assertThat(labels(dst))
                    .as("labels after its refused type change")
                    .isEqualTo(labelsBefore)
                    .hasSize(50);
        }
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        org.apache.flink.configuration.Configuration client = CLUSTER.getClientConfiguration();
        FlinkRest rest =
                new FlinkRest("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
        String jobId = job.getJobID().toHexString();
        Await.until("the loadStopped metric of labels", CATCH_UP, () -> {
            Map<String, Long> labels = rest.tableMetrics(jobId).entrySet().stream()
                    .filter(e -> e.getKey().endsWith("labels"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(Map.of());
            return labels.getOrDefault("loadStopped", 0L) == 1L;
        });
    }

    private static void assertDroppedColumnKept(String destUrl, String column) throws SQLException {
        try (Connection dst = DriverManager.getConnection(destUrl)) {
            assertThat(Sql.rows(
                            dst,
                            "SELECT coalesce(" + column + "::text, 'NULL') FROM copy.items WHERE id IN (1, 1001, 1002)"
                                    + " ORDER BY id"))
                    .as("the dropped column stays; rows written after the drop have NULL there")
                    .containsExactly("0.50", "1.50", "NULL");
        }
    }
}
