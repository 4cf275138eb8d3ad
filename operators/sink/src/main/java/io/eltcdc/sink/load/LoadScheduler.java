package io.eltcdc.sink.load;

import io.eltcdc.config.SecretUnavailableException;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TransientFaults;
import io.eltcdc.sink.commit.StagedBatch;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.ExceptionUtils;

/**
 * Runs the loads of committed batches on a few threads of its own, each with its own destination
 * connection, while the job goes on.
 *
 * <ul>
 *   <li>Loads of different tables run at the same time, up to {@code parallelism}; the loads of one
 *       table run one at a time, in the order their batches arrived.
 *   <li>The tables are created first, and the first load runs alone: what a destination creates
 *       lazily on its first load (its ledger table) is never created by two connections at once,
 *       which some databases answer with an error rather than a no-op.
 *   <li>At most {@code capacity} batches are waiting or loading: {@link #add} blocks until one is
 *       done, which backpressures the job instead of growing memory or files without bound.
 *   <li>A batch is {@linkplain #pending pending} until every table's load of it has succeeded; the
 *       loader keeps pending batches in its checkpoints, so a restore loads them again.
 *   <li>A load that fails because the destination is unavailable ({@link TransientFaults}) is tried
 *       again on the same thread, with pauses that grow up to a minute, for as long as it takes
 *       ({@link DestinationOutage}); the table's later loads wait behind it and the queue fills.
 *   <li>Any other failure stops dispatching and is reported once (to {@code onFailure}, and by every
 *       later call): the job fails and restarts from its last checkpoint; one that needs a person
 *       ({@link TransientFaults#isPermanent}: a refused login, a missing privilege) fails it
 *       without restarts.
 *   <li>Each report is a new exception with the failure as its cause, never the failure itself nor
 *       one exception twice: the task meets the failure twice (the mail that fails it at once, then
 *       {@code close} or a checkpoint) and adds the second to the first as suppressed. Had both been
 *       the failure, or one been wrapped around it, that made a cycle, which Flink's {@code
 *       SerializedThrowable} follows until the stack overflows (Flink 1.20.1; apache/flink#27186
 *       guards against it later), and the TaskManager is killed: the job then waits for slots
 *       instead of failing.
 * </ul>
 */
final class LoadScheduler implements AutoCloseable {
    private final int parallelism;
    private final int capacity;
    private final DestinationFactory destinationFactory;
    private final TableLoader loader;
    private final Consumer<IOException> onFailure;
    private final LoadMetrics.Outages outages;
    private final ExecutorService threads;

    /** Batches not fully loaded, by sequence, with their loads not yet finished. */
    private final Map<Long, Progress> batches = new LinkedHashMap<>();
    /** Per table, its loads not yet started, oldest first. */
    private final Map<TableId, ArrayDeque<TableLoad>> waiting = new LinkedHashMap<>();

    /** Tables being loaded now, and {@link #CREATING_TABLES} while the tables are created. */
    private final Set<TableId> running = new HashSet<>();

    private static final TableId CREATING_TABLES = new TableId("", "(creating tables)");
    private final ArrayDeque<Destination> idleDestinations = new ArrayDeque<>();
    private final List<StagedBatch> loaded = new ArrayList<>();
    private long nextSequence;
    private boolean firstLoadDone;
    private Throwable failure;
    private boolean closed;

    private static final class Progress {
        final StagedBatch batch;
        int remaining;

        Progress(StagedBatch batch, int remaining) {
            this.batch = batch;
            this.remaining = remaining;
        }
    }

    LoadScheduler(
            int parallelism,
            int capacity,
            DestinationFactory destinationFactory,
            TableLoader loader,
            Consumer<IOException> onFailure,
            LoadMetrics.Outages outages) {
        this.parallelism = parallelism;
        this.capacity = capacity;
        this.destinationFactory = destinationFactory;
        this.loader = loader;
        this.onFailure = onFailure;
        this.outages = outages;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "elt-cdc-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the pipeline's tables in the destination on a load thread, before any load: every
     * table exists from the start, also one that never has a row.
     */
    synchronized void createTables() {
        start(CREATING_TABLES, "creating the pipeline's tables", loader::createTablesOnce, () -> {});
    }

    /** Queues a committed batch; blocks while {@code capacity} batches are not yet loaded. */
    synchronized void add(StagedBatch batch) throws IOException, InterruptedException {
        while (batches.size() >= capacity && failure == null && !closed) {
            wait();
        }
        throwIfFailed();
        throwIfClosed();
        long sequence = nextSequence++;
        List<TableLoad> loads = TableLoad.of(batch, sequence);
        if (loads.isEmpty()) {
            loaded.add(batch);
            return;
        }
        batches.put(sequence, new Progress(batch, loads.size()));
        for (TableLoad load : loads) {
            waiting.computeIfAbsent(load.table(), t -> new ArrayDeque<>()).add(load);
        }
        dispatch();
    }

    /** The batches not fully loaded, oldest first: what a restore must load again. */
    synchronized List<StagedBatch> pending() {
        List<StagedBatch> pending = new ArrayList<>(batches.size());
        batches.values().forEach(p -> pending.add(p.batch));
        return pending;
    }

    /** The batches fully loaded since the last call, and forgets them. */
    synchronized List<StagedBatch> takeLoaded() {
        List<StagedBatch> taken = List.copyOf(loaded);
        loaded.clear();
        return taken;
    }

    synchronized int batchesWaiting() {
        return batches.size();
    }

    synchronized int loadsRunning() {
        return running.size() - (running.contains(CREATING_TABLES) ? 1 : 0);
    }

    /** Blocks until every batch added is loaded; throws the first load failure. */
    synchronized void awaitLoaded() throws IOException, InterruptedException {
        while (!batches.isEmpty() && failure == null && !closed) {
            wait();
        }
        throwIfFailed();
        throwIfClosed();
    }

    private void throwIfClosed() throws IOException {
        if (closed) {
            throw new IOException("the loader is closed");
        }
    }

    synchronized void throwIfFailed() throws IOException {
        if (failure != null) {
            throw reportOf(failure);
        }
    }

    /** A new exception for each report of the failure (see the invariants). */
    private static IOException reportOf(Throwable failure) {
        return new IOException("loading into the destination failed: " + failure.getMessage(), failure);
    }

    /** Starts the oldest waiting load of each idle table, while threads are free. */
    private void dispatch() {
        int limit = firstLoadDone ? parallelism : 1;
        while (failure == null && !closed && running.size() < limit && !running.contains(CREATING_TABLES)) {
            TableLoad next = null;
            for (Map.Entry<TableId, ArrayDeque<TableLoad>> e : waiting.entrySet()) {
                TableLoad head = e.getValue().peek();
                if (head != null
                        && !running.contains(e.getKey())
                        && (next == null || head.sequence() < next.sequence())) {
                    next = head;
                }
            }
            if (next == null) {
                return;
            }
            TableLoad load = next;
            ArrayDeque<TableLoad> queue = waiting.get(load.table());
            queue.poll();
            if (queue.isEmpty()) {
                waiting.remove(load.table());
            }
            start(
                    load.table(),
                    "loading table " + load.table() + " of checkpoint " + load.checkpointId(),
                    destination -> loader.load(load, destination),
                    () -> loaded(load));
        }
    }

    /** Work on one destination connection. */
    private interface Work {
        void on(Destination destination) throws Exception;
    }

    /**
     * Runs {@code work} for {@code slot} (a table, or {@link #CREATING_TABLES}) on a load thread,
     * over an idle destination connection or a new one, waiting out an unavailable destination;
     * then {@code done} under the lock.
     */
    private void start(TableId slot, String what, Work work, Runnable done) {
        running.add(slot);
        threads.execute(() -> {
            DestinationOutage outage = null;
            while (true) {
                Destination destination = null;
                try {
                    destination = takeDestination();
                    work.on(destination);
                    if (outage != null) {
                        outage.over();
                    }
                    synchronized (this) {
                        running.remove(slot);
                        giveBack(destination);
                        done.run();
                        notifyAll();
                        dispatch();
                    }
                    return;
                } catch (Throwable t) {
                    closeQuietly(destination); // its connection may be broken
                    if (!TransientFaults.isTransient(t) || isClosed()) {
                        if (outage != null) {
                            outage.abandoned();
                        }
                        failed(slot, what, t);
                        return;
                    }
                    if (outage == null) {
                        outage = new DestinationOutage(
                                slot == CREATING_TABLES ? "creating the pipeline's tables" : slot.toString(), outages);
                    }
                    try {
                        Thread.sleep(outage.failed(t, batchesWaiting()).toMillis());
                    } catch (InterruptedException e) {
                        outage.abandoned(); // the loader closes: a restore loads the batch again
                        return;
                    }
                }
            }
        });
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private Destination takeDestination() {
        synchronized (this) {
            Destination idle = idleDestinations.poll();
            if (idle != null) {
                return idle;
            }
        }
        return destinationFactory.create(); // one per thread at most: at most parallelism loads run
    }

    /** A table's load of a batch succeeded (under the lock). */
    private void loaded(TableLoad load) {
        firstLoadDone = true;
        Progress progress = batches.get(load.sequence());
        if (--progress.remaining == 0) {
            batches.remove(load.sequence());
            loaded.add(progress.batch);
        }
    }

    /** Keeps a destination for the next load, or closes it once the scheduler is closed. */
    private void giveBack(Destination destination) {
        if (closed) {
            closeQuietly(destination);
        } else {
            idleDestinations.push(destination);
        }
    }

    /** Records the first failure; reports it (a quick hand-off, under the lock) before waking waiters. */
    private synchronized void failed(TableId table, String what, Throwable t) {
        running.remove(table);
        if (failure != null || closed) {
            return;
        }
        // What needs a person fails the job without restarts: no retry or restart can help it.
        Optional<SecretUnavailableException> secret = ExceptionUtils.findThrowable(t, SecretUnavailableException.class);
        Optional<String> fix = secret.isPresent()
                ? Optional.of("every process that loads (each TaskManager) needs the secret's variable or file")
                : TransientFaults.whatToFix(t, "destination");
        Throwable shown = secret.<Throwable>map(e -> e).orElse(t);
        failure = fix.<Throwable>map(
                        f -> new SuppressRestartsException(new DestinationRefusedException(what, shown, f)))
                .orElseGet(() -> new IOException(what + " failed: " + t.getMessage(), t));
        onFailure.accept(reportOf(failure));
        notifyAll();
    }

    /** Stops at once: running loads are abandoned (a restore loads their batches again). */
    @Override
    public void close() {
        List<Destination> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idleDestinations);
            idleDestinations.clear();
            notifyAll();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        toClose.forEach(LoadScheduler::closeQuietly);
    }

    private static void closeQuietly(Destination destination) {
        if (destination == null) {
            return;
        }
        try {
            destination.close();
        } catch (Exception ignored) {
            // closing after a failure or at shutdown: the first error is the one reported
        }
    }
}
