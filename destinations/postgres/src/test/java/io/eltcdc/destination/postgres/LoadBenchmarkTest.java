package io.eltcdc.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.duckdb.DuckDbDestination;
import io.eltcdc.destination.testkit.BenchClock;
import io.eltcdc.destination.testkit.BenchClock.Sample;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load throughput; runs only with {@code -Delt.bench=true}. Per destination and repeat, on a fresh
 * database: {@code ROWS} new keys into an empty table, {@code ROWS} further new keys into the
 * table (which then holds {@code ROWS}), {@code ROWS} updates of existing keys, an initial sync of
 * {@code ROWS} rows in batches of 150 k (the committer's per-checkpoint loads) as two parallel
 * snapshot readers make them, and a batch of changes with two records per key and deletes (the
 * path that needs the dedup and the deletes).
 *
 * <p>Rows of the initial sync all carry the same position, as snapshot rows do. Its two readers
 * take chunks of 250 k keys in turn (reader A chunks 0, 2, …, reader B chunks 1, 3, …) and each
 * batch holds the next 75 k rows of each: so the key ranges of a batch interleave with rows the
 * target already holds, as at parallelism 2. Prints rows/s
 * (wall time of {@link Destination#load}) and CPU µs per row (this JVM, which runs DuckDB, plus the
 * PostgreSQL backend); {@code -Delt.bench.rows} and {@code -Delt.bench.repeats} change the sizes.
 */
@EnabledIfSystemProperty(named = "elt.bench", matches = "true")
class LoadBenchmarkTest {
    private static final int ROWS = Integer.getInteger("elt.bench.rows", 1_000_000);
    private static final int REPEATS = Integer.getInteger("elt.bench.repeats", 3);
    private static final int SYNC_BATCH = 150_000;
    private static final int SYNC_CHUNK = 250_000;
    private static final long SNAPSHOT_POSITION = 1;
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    /** The shape of the brief: bigint key, int, numeric(12,2), text, timestamptz. */
    private static final List<Column> COLUMNS = List.of(
            new Column("id", ColumnType.INT64, 0, 0, false, "int8"),
            Column.of("qty", ColumnType.INT32),
            Column.decimal("amount", 12, 2),
            Column.of("customer", ColumnType.STRING),
            Column.of("created", ColumnType.TIMESTAMP_TZ));

    private static final TableSchema ORDERS = new TableSchema(new TableId("bench", "orders"), COLUMNS, List.of("id"));
    private static final TableSchema SYNCED = new TableSchema(new TableId("bench", "synced"), COLUMNS, List.of("id"));

    @TempDir
    static Path dir;

    private static StagedFile intoEmpty;
    private static StagedFile newKeys;
    private static StagedFile updates;
    private static StagedFile changes;
    private static List<List<StagedFile>> syncBatches;

    @BeforeAll
    static void writeFiles() throws Exception {
        long t0 = System.nanoTime();
        intoEmpty = write(ORDERS, 0, ROWS, i -> Op.READ, i -> SNAPSHOT_POSITION);
        newKeys = write(ORDERS, ROWS, ROWS, i -> Op.READ, i -> SNAPSHOT_POSITION);
        updates = write(ORDERS, 0, ROWS, i -> Op.UPDATE, i -> 10L * ROWS + i);
        // Two records per key of the first half, interleaved as a log would: an update, then a later
        // update or (every 10th key) a delete.
        List<Row> mixed = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            long key = i % (ROWS / 2);
            boolean second = i >= ROWS / 2;
            Op op = second && key % 10 == 0 ? Op.DELETE : Op.UPDATE;
            mixed.add(row(op, 20L * ROWS + i, key, 3));
        }
        changes = StagedFiles.write(dir, ORDERS, mixed);
        List<Long> readerA = new ArrayList<>();
        List<Long> readerB = new ArrayList<>();
        for (long key = 0; key < ROWS; key++) {
            (key / SYNC_CHUNK % 2 == 0 ? readerA : readerB).add(key);
        }
        syncBatches = new ArrayList<>();
        for (int from = 0; from < Math.max(readerA.size(), readerB.size()); from += SYNC_BATCH / 2) {
            List<StagedFile> batch = new ArrayList<>();
            for (List<Long> reader : List.of(readerA, readerB)) {
                List<Row> rows = new ArrayList<>();
                for (int i = from; i < Math.min(from + SYNC_BATCH / 2, reader.size()); i++) {
                    rows.add(row(Op.READ, SNAPSHOT_POSITION, reader.get(i), 1));
                }
                if (!rows.isEmpty()) {
                    batch.add(StagedFiles.write(dir, SYNCED, rows));
                }
            }
            syncBatches.add(batch);
        }
        System.out.printf("bench: wrote the staged files in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void duckDb() throws Exception {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int repeat = 1; repeat <= REPEATS; repeat++) {
            try (Destination d = new DuckDbDestination(
                    dir.resolve("bench-" + repeat + ".duckdb").toString(), null)) {
                d.createTables(List.of(ORDERS, SYNCED));
                runOnce("DuckDB", repeat, d, new BenchClock(0), samples);
            }
        }
        report("DuckDB", samples);
    }

    @Test
    void postgres() throws Exception {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int repeat = 1; repeat <= REPEATS; repeat++) {
            String url = TestPostgres.createDatabase("load_bench");
            try (Destination d = new PostgresDestination(url, null, null, null)) {
                d.createTables(List.of(ORDERS, SYNCED)); // opens the connection whose backend is measured
                runOnce("PostgreSQL", repeat, d, new BenchClock(backendPid(url)), samples);
            }
        }
        report("PostgreSQL", samples);
    }

    private void runOnce(String name, int repeat, Destination d, BenchClock clock, Map<String, List<Sample>> samples)
            throws Exception {
        String id = "r" + repeat + "-";
        measure(name, "new keys into an empty table", samples, clock, ROWS, () -> {
            assertThat(d.load(batch(ORDERS, id + "empty", intoEmpty)).rowsMerged())
                    .isEqualTo(ROWS);
        });
        measure(name, "new keys into a table of " + ROWS, samples, clock, ROWS, () -> {
            assertThat(d.load(batch(ORDERS, id + "new", newKeys)).rowsMerged()).isEqualTo(ROWS);
        });
        measure(name, "updates of existing keys", samples, clock, ROWS, () -> {
            assertThat(d.load(batch(ORDERS, id + "updates", updates)).rowsMerged())
                    .isEqualTo(ROWS);
        });
        measure(name, "initial sync, 2 readers, batches of " + SYNC_BATCH / 1000 + "k", samples, clock, ROWS, () -> {
            long loaded = 0;
            for (int b = 0; b < syncBatches.size(); b++) {
                loaded += d.load(new LoadBatch("bench", SYNCED.id(), id + "sync-" + b, syncBatches.get(b)))
                        .rowsMerged();
            }
            assertThat(loaded).isEqualTo(ROWS);
        });
        measure(name, "changes: 2 per key, 10% deletes", samples, clock, ROWS, () -> {
            assertThat(d.load(batch(ORDERS, id + "changes", changes)).rowsMerged())
                    .isEqualTo(ROWS / 2);
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void measure(
            String destination,
            String scenario,
            Map<String, List<Sample>> samples,
            BenchClock clock,
            long rows,
            Step step)
            throws Exception {
        clock.start();
        step.run();
        Sample s = clock.stop(rows);
        samples.computeIfAbsent(scenario, k -> new ArrayList<>()).add(s);
        System.out.printf(
                "bench %s: %-40s %,10.0f rows/s  %6d ms  CPU %5.2f µs/row (JVM %d ms, server %d ms)%n",
                destination,
                scenario,
                s.rowsPerSecond(),
                s.wallNanos() / 1_000_000,
                s.cpuMicrosPerRow(),
                s.jvmCpuNanos() / 1_000_000,
                s.serverCpuNanos() / 1_000_000);
    }

    private static void report(String destination, Map<String, List<Sample>> samples) {
        System.out.printf(
                "bench %s summary, %,d rows per scenario, %d repeats: median rows/s [min – max], median CPU µs/row%n",
                destination, ROWS, REPEATS);
        samples.forEach((scenario, list) -> {
            List<Sample> byRate = list.stream()
                    .sorted(Comparator.comparingDouble(Sample::rowsPerSecond))
                    .toList();
            List<Sample> byCpu = list.stream()
                    .sorted(Comparator.comparingDouble(Sample::cpuMicrosPerRow))
                    .toList();
            System.out.printf(
                    "bench %s:   %-40s %,10.0f [%,.0f – %,.0f] rows/s  %5.2f µs/row%n",
                    destination,
                    scenario,
                    byRate.get(byRate.size() / 2).rowsPerSecond(),
                    byRate.get(0).rowsPerSecond(),
                    byRate.get(byRate.size() - 1).rowsPerSecond(),
                    byCpu.get(byCpu.size() / 2).cpuMicrosPerRow());
        });
    }

    private static int backendPid(String url) throws Exception {
        String database = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        try (Connection c = TestPostgres.connect(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
            int pid = r.next() ? r.getInt(1) : 0;
            return r.next() ? 0 : pid; // not exactly one: cannot tell which is the loader's
        }
    }

    private static LoadBatch batch(TableSchema table, String id, StagedFile file) {
        return new LoadBatch("bench", table.id(), id, List.of(file));
    }

    private interface RowFunction<T> {
        T of(long i);
    }

    private static StagedFile write(
            TableSchema schema, long firstKey, int rows, RowFunction<Op> op, RowFunction<Long> position)
            throws Exception {
        List<Row> out = new ArrayList<>(rows);
        for (long key = firstKey; key < firstKey + rows; key++) {
            out.add(row(op.of(key), position.of(key), key, op.of(key) == Op.READ ? 1 : 2));
        }
        return StagedFiles.write(dir, schema, out);
    }

    private static Row row(Op op, long position, long key, int version) {
        if (op == Op.DELETE) {
            return Row.of(op, position, key, null, null, null, null);
        }
        return Row.of(
                op,
                position,
                key,
                (int) (key % 1000) * version,
                BigDecimal.valueOf(key * 7 + version, 2),
                "customer " + (key * 7919 % 100_003),
                BASE.plusSeconds(key).plusNanos(version * 1_000L));
    }
}
