package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.TableSplitting;
import io.eltcdc.source.postgres.PostgresPlannerQueries;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;

/**
 * A timing harness for the split reader alone, without Flink: plans a table's chunks and reads them
 * with {@code readers} threads, each its own {@link ChunkSplitReader} taking one chunk at a time
 * from a shared queue (as the enumerator hands them out), rows drained and discarded. Prints wall
 * time, rows/s and the reader threads' CPU time per round.
 *
 * <p>Not a test (surefire runs {@code *Test}); run by hand against an existing table:
 * {@code java -cp <test classpath> io.eltcdc.source.snapshot.ChunkReadBenchmark
 * jdbc:postgresql://127.0.0.1:5432/perf?user=postgres public.t 250000 2 5}
 * (url, table, chunk size, readers, rounds). Each round reads the whole table; the first one runs
 * on cold (interpreted) code, as a job's first chunks do. "Machine busy" shows other load on the
 * machine, which slows the server and the readers alike.
 */
public final class ChunkReadBenchmark {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String table = args[1];
        int chunkSize = Integer.parseInt(args[2]);
        int readers = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .table(table)
                .chunkSize(chunkSize)
                .build();
        List<ChunkSplit> chunks = plan(config, TestSql.schema(url, table));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            ConcurrentLinkedQueue<ChunkSplit> todo = new ConcurrentLinkedQueue<>(chunks);
            AtomicLong rows = new AtomicLong();
            AtomicLong cpuNanos = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long start = System.nanoTime();
            long processCpuStart = processCpuNanos();
            long[] machineStart = machineTicks();
            for (int r = 0; r < readers; r++) {
                Thread worker = new Thread(
                        () -> {
                            long cpuStart = threads.getCurrentThreadCpuTime();
                            rows.addAndGet(readAll(config, todo));
                            cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpuStart);
                        },
                        "bench-reader-" + r);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double processCpu = (processCpuNanos() - processCpuStart) / 1e9;
            long[] machineEnd = machineTicks();
            double ticks = machineEnd[1] - machineStart[1];
            System.out.printf(
                    "round %d: %d rows in %.2f s = %.0f rows/s; reader threads CPU %.2f s, JVM CPU %.2f s,"
                            + " machine busy %.0f%% (of all cores)%n",
                    round,
                    rows.get(),
                    seconds,
                    rows.get() / seconds,
                    cpuNanos.get() / 1e9,
                    processCpu,
                    100.0 * (machineEnd[0] - machineStart[0]) / ticks);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Busy and total jiffies of all cores from /proc/stat (Linux): other work on the machine shows here. */
    private static long[] machineTicks() throws java.io.IOException {
        String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                .get(0)
                .trim()
                .split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static List<ChunkSplit> plan(SnapshotSourceConfig config, TableSchema schema) throws Exception {
        List<ChunkSplit> chunks = new ArrayList<>();
        ChunkPlanner planner = new ChunkPlanner(config.chunkSize(), PostgresPlannerQueries.INSTANCE);
        try (Connection c = SourceConnections.open(config, "benchmark")) {
            TableSplitting table = new TableSplitting(schema);
            table.planned(planner.plan(c, schema));
            while (!table.done()) {
                chunks.add(planner.nextChunk(c, table));
            }
        }
        return chunks;
    }

    /** Reads chunks off the queue until it is empty; returns the rows read. */
    private static long readAll(SnapshotSourceConfig config, ConcurrentLinkedQueue<ChunkSplit> todo) {
        long rows = 0;
        try (ChunkSplitReader reader = new ChunkSplitReader(config)) {
            ChunkSplit chunk;
            while ((chunk = todo.poll()) != null) {
                reader.handleSplitsChanges(new SplitsAddition<>(List.of(chunk)));
                boolean finished = false;
                while (!finished) {
                    RecordsWithSplitIds<SnapshotRow> batch = reader.fetch();
                    while (batch.nextSplit() != null) {
                        while (batch.nextRecordFromSplit() != null) {
                            rows++;
                        }
                    }
                    finished = batch.finishedSplits().contains(chunk.splitId());
                    batch.recycle();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
