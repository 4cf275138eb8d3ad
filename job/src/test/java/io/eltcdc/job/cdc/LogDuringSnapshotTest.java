package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.SnapshotGate;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change log read beside the snapshot ({@code source.log-during-snapshot}), with the snapshot
 * held mid-way: the snapshot readers wait at a {@link SnapshotGate} above the first orders, while a
 * workload changes rows on both sides of it, among them rows whose snapshot rows come only later:
 * deletes (which must not come back), TOAST-unchanged updates (whose values must arrive), key
 * changes, re-inserts and a column added. While the readers wait, the changes must reach the destination and the
 * slot's confirmed position must move on; once the gate opens, the destination must equal the
 * source row by row, with every tombstone purged (hard-delete mode).
 */
class LogDuringSnapshotTest {
    private static final int ORDERS = 20_000;
    private static final int GATE = 2_000;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String PIPELINE = "beside-pg";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void changesToRowsNotReadYetReachTheDestinationWhileTheSnapshotWaitsAndConverge() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("beside_pg_source");
        String destUrl = TestPostgres.createDatabase("beside_pg_dest");
        String owner = "elt_beside_owner";
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            PostgresWorkload.createTables(c, ORDERS);
            SnapshotGate.ownerRole(s, owner, "public.orders", "public.lines");
            s.execute("GRANT CREATE ON DATABASE beside_pg_source TO " + owner); // for the publication
            SnapshotGate.install(s, "public.orders", GATE, owner);
        }
        PipelineConfig config = ContinuousSyncPostgresTest.config(
                PIPELINE, sourceUrl.replaceFirst("user=[^&]*", "user=" + owner), destUrl, "hard", true);
        try (Connection gate = DriverManager.getConnection(sourceUrl);
                Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            SnapshotGate.close(gate);
            JobClient job = ContinuousSyncPostgresTest.start(config);
            try {
                Await.until(
                        "both snapshot readers waiting at the gate",
                        DEADLINE,
                        () -> SnapshotGate.readersWaiting(gate) == 2);
                long confirmedBefore = confirmedLsn(src);

                // Rows above the gate, whose snapshot rows are not read yet (ids % 50 = 0 have a TOASTed note).
                Sql.exec(
                        sourceUrl,
                        "DELETE FROM public.orders WHERE id = 15001",
                        "UPDATE public.orders SET amount = amount + 1 WHERE id = 15050", // note TOASTed, unchanged
                        "UPDATE public.orders SET id = 2015100 WHERE id = 15100", // key change, note TOASTed
                        "DELETE FROM public.orders WHERE id = 15201",
                        "INSERT INTO public.orders (id, customer, amount, status, placed, note)"
                                + " VALUES (15201, 'again', 1.00, 'new', current_date, repeat('y', 6000))",
                        // A column added to a table whose snapshot has not started (orders cannot take
                        // one now: the waiting readers hold a lock on it).
                        "ALTER TABLE public.lines ADD COLUMN extra text",
                        "UPDATE public.lines SET extra = 'changed ' || order_id WHERE order_id IN (10, 9000)",
                        "INSERT INTO public.orders (id, customer, amount, status, placed)"
                                + " VALUES (1999999, 'marker', 1.00, 'new', current_date)");
                PostgresWorkload workload = new PostgresWorkload(sourceUrl, 5);
                workload.run(300); // rows on both sides of the gate

                Await.until("the changes loaded while the readers wait", DEADLINE, () -> hasOrder(dst, 1_999_999));
                Await.until(
                        "the slot confirmed while the readers wait",
                        DEADLINE,
                        () -> confirmedLsn(src) > confirmedBefore);
                assertThat(SnapshotGate.readersWaiting(gate))
                        .as("the snapshot still waits")
                        .isEqualTo(2);
                assertThat(Sql.rows(dst, "SELECT count(*) FROM copy.orders WHERE _elt_op = 'READ' AND id > " + GATE))
                        .as("snapshot rows above the gate")
                        .containsExactly("0");
                assertThat(Sql.rows(dst, "SELECT _elt_deleted FROM copy.orders WHERE id = 15001"))
                        .as("the delete of a row not read yet, kept as a tombstone")
                        .containsExactly("t");

                SnapshotGate.open(gate);
                workload.run(100);
                ContinuousSyncPostgresTest.awaitEqual(sourceUrl, destUrl);
            } finally {
                job.cancel().get();
                ContinuousSyncPostgresTest.dropSlot(sourceUrl, PIPELINE);
            }
        }
    }

    private static boolean hasOrder(Connection dst, long id) throws SQLException {
        try (PreparedStatement ps = dst.prepareStatement("SELECT count(*) FROM copy.orders WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false; // the target table is not there yet
        }
    }

    private static long confirmedLsn(Connection src) throws SQLException {
        try (Statement s = src.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT coalesce(confirmed_flush_lsn - '0/0', 0) FROM pg_replication_slots"
                                + " WHERE slot_name = '" + ReplicationNames.slot(PIPELINE) + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
