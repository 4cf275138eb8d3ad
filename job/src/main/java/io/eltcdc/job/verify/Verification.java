package io.eltcdc.job.verify;

import io.eltcdc.destination.TableChecksums;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import io.eltcdc.source.dialect.RangeChecksums;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.TableSplitting;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compares each table of the source with its target table, key range by key range: the source's
 * planner cuts the table as the snapshot does (so no query reads more than a chunk), and
 * {@code parallelism} workers compare the ranges, each range's count and checksum computed by the
 * source and by the destination in their own SQL. Ranges that differ are compared again until they
 * agree or {@code settleTimeout} passes (a change in flight reaches the destination within a
 * checkpoint or two, and is then no drift); the rows of the ranges that still differ are then
 * compared one by one for example keys.
 */
public final class Verification implements AutoCloseable {
    private static final int MAX_RANGES_FOR_EXAMPLES = 50;

    /**
     * @param parallelism ranges compared at once
     * @param settleTimeout how long differing ranges are compared again before they count as drift
     * @param settlePoll how often they are compared again meanwhile
     * @param examples example keys per kind of difference
     * @param progressInterval how often a long table's progress is printed
     */
    public record Options(
            int parallelism, Duration settleTimeout, Duration settlePoll, int examples, Duration progressInterval) {}

    private final SnapshotSourceConfig source;
    private final RangeChecksums sourceChecksums;
    private final TableChecksums destination;
    private final Options options;
    private final PrintStream progress;
    private final ExecutorService pool;
    private final Queue<Connection> connections = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Connection> workerConnection = new ThreadLocal<>();

    public Verification(
            SnapshotSourceConfig source, TableChecksums destination, Options options, PrintStream progress) {
        this.source = source;
        this.sourceChecksums = source.dialect().rangeChecksums();
        this.destination = destination;
        this.options = options;
        this.progress = progress;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "elt-cdc-verify-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The result of every table, in order; a table that could not be compared says why. */
    public List<TableResult> verify(List<TableSchema> tables) throws InterruptedException {
        List<TableResult> results = new ArrayList<>();
        for (TableSchema table : tables) {
            results.add(verify(table));
        }
        return results;
    }

    private TableResult verify(TableSchema table) throws InterruptedException {
        String target = destination.targetName(table);
        try {
            List<RangeOutcome> outcomes = compareAll(table);
            List<RangeOutcome> differing = differing(outcomes);
            if (!differing.isEmpty() && !totalsAgree(outcomes)) {
                differing = settle(table, outcomes, differing);
            }
            RangeChecksum sourceTotal = total(outcomes, true);
            RangeChecksum destinationTotal = total(outcomes, false);
            if (differing.isEmpty() || sourceTotal.equals(destinationTotal)) {
                // equal totals: ranges that differ pairwise hold the same rows cut differently (a text
                // key the destination's collation orders otherwise)
                return new TableResult(
                        table.id(),
                        target,
                        sourceTotal.rows(),
                        destinationTotal.rows(),
                        outcomes.size(),
                        0,
                        RowDiff.Differences.NONE,
                        false,
                        null);
            }
            Examples examples = examples(differing);
            return new TableResult(
                    table.id(),
                    target,
                    sourceTotal.rows(),
                    destinationTotal.rows(),
                    outcomes.size(),
                    differing.size(),
                    examples.differences(),
                    examples.incomplete(),
                    null);
        } catch (ExecutionException e) {
            return TableResult.failed(table.id(), target, message(e.getCause()));
        } catch (RuntimeException e) {
            return TableResult.failed(table.id(), target, message(e));
        } catch (SQLException e) {
            return TableResult.failed(table.id(), target, "the source: " + message(e));
        }
    }

    /** One range's checksums on both sides. */
    private record RangeOutcome(ChunkSplit range, RangeChecksum source, RangeChecksum destination) {
        boolean equal() {
            return source.equals(destination);
        }
    }

    /** Cuts the table into ranges and compares them, {@code parallelism} at a time, as they are cut. */
    private List<RangeOutcome> compareAll(TableSchema table)
            throws SQLException, InterruptedException, ExecutionException {
        CompletionService<RangeOutcome> done = new ExecutorCompletionService<>(pool);
        int submitted = 0;
        List<RangeOutcome> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        long lastProgress = started;
        ChunkPlanner planner =
                new ChunkPlanner(source.chunkSize(), source.dialect().plannerQueries());
        try (Connection c = SourceConnections.open(source, "verify planner")) {
            TableSplitting splitting = new TableSplitting(table);
            splitting.planned(planner.plan(c, table));
            while (!splitting.done()) {
                ChunkSplit range = planner.nextChunk(c, splitting);
                done.submit(compare(range));
                submitted++;
                Future<RangeOutcome> finished;
                while ((finished = done.poll()) != null) {
                    outcomes.add(finished.get());
                }
                lastProgress = maybeProgress(table, outcomes, submitted, started, lastProgress);
            }
        }
        while (outcomes.size() < submitted) {
            outcomes.add(done.take().get());
            lastProgress = maybeProgress(table, outcomes, submitted, started, lastProgress);
        }
        return outcomes;
    }

    private long maybeProgress(
            TableSchema table, List<RangeOutcome> outcomes, int submitted, long started, long lastProgress) {
        long now = System.nanoTime();
        if (now - lastProgress < options.progressInterval().toNanos()) {
            return lastProgress;
        }
        long rows = outcomes.stream().mapToLong(o -> o.source().rows()).sum();
        double seconds = (now - started) / 1e9;
        progress.printf(
                "%s: ranges compared %d/%d (planned so far), source rows %s, %s rows/s%n",
                table.id(), outcomes.size(), submitted, VerifyReport.number(rows), VerifyReport.number((long)
                        (rows / Math.max(seconds, 1e-3))));
        return now;
    }

    private Callable<RangeOutcome> compare(ChunkSplit range) {
        return () -> new RangeOutcome(
                range,
                sourceChecksums.checksum(sourceConnection(), range, destination.jsonForm()),
                destination.checksum(range.schema(), keyRange(range)));
    }

    /**
     * Compares the differing ranges again until they agree or the settle timeout passes: a change
     * the source had when the range was read may still be on its way to the destination.
     */
    private List<RangeOutcome> settle(TableSchema table, List<RangeOutcome> outcomes, List<RangeOutcome> differing)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        List<RangeOutcome> still = differing;
        if (!options.settleTimeout().isZero()) {
            progress.printf(
                    "%s: %d range(s) differ; comparing them again while the destination catches up (up to %d s)%n",
                    table.id(), still.size(), options.settleTimeout().toSeconds());
        }
        while (!still.isEmpty() && System.nanoTime() < deadline) {
            long wait = Math.min(options.settlePoll().toNanos(), deadline - System.nanoTime());
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // polls the destination, with a deadline
            }
            List<Future<RangeOutcome>> again = new ArrayList<>();
            for (RangeOutcome o : still) {
                again.add(pool.submit(compare(o.range())));
            }
            List<RangeOutcome> next = new ArrayList<>();
            for (int i = 0; i < again.size(); i++) {
                RangeOutcome fresh = again.get(i).get();
                outcomes.set(outcomes.indexOf(still.get(i)), fresh);
                if (!fresh.equal()) {
                    next.add(fresh);
                }
            }
            still = next;
            if (!still.isEmpty() && totalsAgree(outcomes)) {
                break;
            }
        }
        if (!options.settleTimeout().isZero()) {
            progress.printf(
                    still.isEmpty() || totalsAgree(outcomes)
                            ? "%s: the ranges agree now (the changes were in flight)%n"
                            : "%s: %d range(s) still differ after the settle timeout%n",
                    table.id(),
                    still.size());
        }
        return still;
    }

    /**
     * The example keys of the differing ranges: their rows' keys and hashes from both sides, one range
     * at a time (both sides at once), so at most one range's rows are in memory.
     */
    private Examples examples(List<RangeOutcome> differing) throws InterruptedException, ExecutionException {
        int limit = (int) Math.min(1_000_000L, 2L * source.chunkSize() + 1_000);
        RowDiff diff = new RowDiff();
        boolean incomplete = differing.size() > MAX_RANGES_FOR_EXAMPLES;
        for (RangeOutcome o : differing.subList(0, Math.min(differing.size(), MAX_RANGES_FOR_EXAMPLES))) {
            Future<List<RowHash>> sourceRows = pool.submit(
                    () -> sourceChecksums.rowHashes(sourceConnection(), o.range(), destination.jsonForm(), limit));
            Future<List<RowHash>> destinationRows =
                    pool.submit(() -> destination.rowHashes(o.range().schema(), keyRange(o.range()), limit));
            List<RowHash> sourceSide = sourceRows.get();
            List<RowHash> destinationSide = destinationRows.get();
            incomplete |= sourceSide.size() >= limit || destinationSide.size() >= limit;
            diff.addRange(sourceSide, destinationSide);
        }
        return new Examples(diff.differences(options.examples()), incomplete);
    }

    private record Examples(RowDiff.Differences differences, boolean incomplete) {}

    private static KeyRange keyRange(ChunkSplit range) {
        return range.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION
                ? KeyRange.ALL
                : new KeyRange(range.lowerBound(), range.upperBound());
    }

    /** The worker thread's source connection, opened on its first range. */
    private Connection sourceConnection() {
        Connection c = workerConnection.get();
        if (c == null) {
            c = SourceConnections.open(source, "verify");
            connections.add(c);
            workerConnection.set(c);
        }
        return c;
    }

    private static List<RangeOutcome> differing(List<RangeOutcome> outcomes) {
        return outcomes.stream().filter(o -> !o.equal()).toList();
    }

    private static boolean totalsAgree(List<RangeOutcome> outcomes) {
        return total(outcomes, true).equals(total(outcomes, false));
    }

    private static RangeChecksum total(List<RangeOutcome> outcomes, boolean sourceSide) {
        RangeChecksum sum = RangeChecksum.EMPTY;
        for (RangeOutcome o : outcomes) {
            sum = sum.plus(sourceSide ? o.source() : o.destination());
        }
        return sum;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        Connection c;
        while ((c = connections.poll()) != null) {
            SourceConnections.closeQuietly(c);
        }
    }
}
