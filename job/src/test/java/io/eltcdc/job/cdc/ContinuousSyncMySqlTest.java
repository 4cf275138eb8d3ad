package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Continuous sync from MySQL (MariaDB here) on one shared mini-cluster: a workload of inserts,
 * updates, deletes and key updates runs while the initial sync is reading and again after it; the
 * destination must then equal the source row by row, in soft-delete mode, with every deleted key
 * kept and marked.
 */
class ContinuousSyncMySqlTest {
    private static final int ROWS = 10_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @ParameterizedTest(name = "log-during-snapshot: {0}, delete-mode: {1}")
    @CsvSource({"false, soft", "true, soft", "true, hard"})
    void changesDuringAndAfterTheSnapshotReachTheDestination(boolean logDuringSnapshot, String deleteMode)
            throws Exception {
        boolean soft = deleteMode.equals("soft");
        String sourceUrl = TestMySql.createDatabase("cdc_my_source");
        String destUrl = TestPostgres.createDatabase("cdc_my_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl)) {
            MySqlWorkload.createTable(c, ROWS);
        }
        JobClient job =
                ContinuousSyncPostgresTest.start(config("cdc-my", sourceUrl, destUrl, logDuringSnapshot, deleteMode));
        try {
            Await.until(
                    "the snapshot to start loading",
                    Duration.ofSeconds(60),
                    () -> liveRows(destUrl, soft) > 0 || hasTable(destUrl));
            MySqlWorkload workload = new MySqlWorkload(sourceUrl, 11);
            workload.run(300); // races the snapshot's chunk reads
            awaitEqual(sourceUrl, destUrl, soft);
            workload.run(300); // pure streaming
            awaitEqual(sourceUrl, destUrl, soft);
        } finally {
            job.cancel().get();
        }
        if (!soft) {
            return; // hard: awaitEqual saw every row, so no tombstone is left
        }
        try (Connection dst = DriverManager.getConnection(destUrl);
                Statement s = dst.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM copy.orders WHERE _elt_deleted" + " AND _elt_op = 'DELETE'")) {
            rs.next();
            assertThat(rs.getLong(1))
                    .as("deleted keys kept in soft-delete mode")
                    .isPositive();
        }
    }

    private static PipelineConfig config(
            String name, String sourceUrl, String destUrl, boolean logDuringSnapshot, String deleteMode)
            throws Exception {
        JdbcUrl src = TestMySql.parts(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s }
                source: { type: mysql, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [%s.orders], chunk-size: 500, heartbeat-interval: 1s, log-during-snapshot: %s }
                staging: { path: "file://%s", roll-size: 1mb, inactivity-interval: 1s, roll-interval: 5s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy, delete-mode: %s }
                """,
                        name,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        src.database(),
                        logDuringSnapshot,
                        System.getProperty("java.io.tmpdir") + "/elt-cdc-test-staging/" + name + "-"
                                + System.nanoTime(),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password(),
                        deleteMode),
                System::getenv);
    }

    private static void awaitEqual(String sourceUrl, String destUrl, boolean soft) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until(
                    "the destination to equal the source",
                    Duration.ofSeconds(120),
                    () -> Sql.rows(src, MySqlWorkload.SOURCE_ROWS).equals(liveRowsOf(dst, soft)));
            assertThat(liveRowsOf(dst, soft)).containsExactlyElementsOf(Sql.rows(src, MySqlWorkload.SOURCE_ROWS));
        }
    }

    /**
     * Destination rows not soft-deleted; in hard-delete mode every row, so that a tombstone left after
     * the snapshot shows.
     */
    private static List<String> liveRowsOf(Connection dst, boolean soft) throws SQLException {
        try {
            String rows = MySqlWorkload.destinationRows("copy");
            return Sql.rows(dst, soft ? rows.replace(" ORDER BY id", " WHERE NOT _elt_deleted ORDER BY id") : rows);
        } catch (SQLException e) {
            return List.of(); // not created yet
        }
    }

    private static long liveRows(String destUrl, boolean soft) throws SQLException {
        try (Connection dst = DriverManager.getConnection(destUrl)) {
            return liveRowsOf(dst, soft).size();
        }
    }

    private static boolean hasTable(String destUrl) throws SQLException {
        try (Connection dst = DriverManager.getConnection(destUrl);
                Statement s = dst.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('copy.orders') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
