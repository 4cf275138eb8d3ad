package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.sql.LoadLedger;
import io.eltcdc.destination.testkit.DestinationContractTest;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The destination contract plus the cases of Redshift's own load: the load's time, and loads whose
 * transactions overlap. Run live ({@link RedshiftDestinationContractTest}) and on the local
 * PostgreSQL ({@link RedshiftSqlOnPostgresTest}).
 */
abstract class RedshiftContract extends DestinationContractTest {

    /**
     * The ledger row's {@code loaded_at} and the rows' {@code _elt_synced_at} are the load's time in
     * UTC: {@code SYSDATE} (a leader node-only {@code CURRENT_TIMESTAMP} would fail the INSERT) in a
     * session set to UTC. Five minutes of slack for the clocks of the test machine and the cluster;
     * a session in another time zone would be an hour or more off.
     */
    @Test
    void theLoadTimeIsTheTransactionStartInUtc() throws Exception {
        Instant before = Instant.now();
        load(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.INSERT, 1, 1, "one"))));
        Instant after = Instant.now();
        try (Connection c = connect()) {
            List<Object> times = query(
                            c,
                            "SELECT i.\"_elt_synced_at\", l.loaded_at FROM \"shop\".\"items\" AS i"
                                    + " CROSS JOIN elt_cdc.loads AS l")
                    .get(0);
            assertThat((Instant) times.get(0))
                    .isBetween(before.minus(Duration.ofMinutes(5)), after.plus(Duration.ofMinutes(5)));
            assertThat(times.get(1)).isEqualTo(times.get(0));
        }
    }

    /**
     * Two loads of different tables, over two connections, started together round after round: each
     * transaction reads and then writes the ledger, which Redshift's serializable isolation refuses
     * for overlapping transactions (error 1023) unless they lock the ledger first. Every batch
     * commits once.
     */
    @Test
    void loadsOfTwoTablesAtOnceAllCommit() throws Exception {
        TableSchema others =
                new TableSchema(new TableId("shop", "others"), ITEMS_SCHEMA.columns(), ITEMS_SCHEMA.keyColumns());
        destination().createTables(List.of(ITEMS_SCHEMA, others));
        try (Connection c = connect()) { // as after the pipeline's first load, which runs alone
            new LoadLedger(null, RedshiftSql.NOW).ensureExists(c);
        }
        int rounds = 5;
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Destination second = createDestination(null)) {
            List<Future<List<LoadResult>>> loads = List.of(
                    threads.submit(() -> loadRounds(destination(), ITEMS_SCHEMA, rounds, together)),
                    threads.submit(() -> loadRounds(second, others, rounds, together)));
            for (Future<List<LoadResult>> load : loads) {
                assertThat(load.get(10, TimeUnit.MINUTES)).hasSize(rounds).allMatch(r -> !r.skipped());
            }
        } finally {
            threads.shutdownNow();
        }
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT table_name, COUNT(*) FROM elt_cdc.loads GROUP BY 1 ORDER BY 1"))
                    .containsExactly(List.of("shop.items", (long) rounds), List.of("shop.others", (long) rounds));
            assertThat(query(c, "SELECT \"id\", \"name\" FROM \"shop\".\"others\""))
                    .containsExactly(List.of(1, "round " + rounds));
        }
    }

    private List<LoadResult> loadRounds(Destination destination, TableSchema table, int rounds, CyclicBarrier together)
            throws Exception {
        List<LoadResult> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            LoadBatch batch = batch(
                    table.id(),
                    "b" + round,
                    write(table, Row.of(round == 1 ? Op.INSERT : Op.UPDATE, round, 1, "round " + round)));
            together.await(1, TimeUnit.MINUTES);
            results.add(destination.load(batch));
        }
        return results;
    }
}
