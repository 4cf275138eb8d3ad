package io.eltcdc.sink.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.sink.StateFixtures;
import io.eltcdc.sink.commit.StagedBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order and concurrency rules of {@link LoadScheduler}, over a destination whose loads wait
 * until the test lets them finish (the loads' data is the destination suites' and the sink ITs'
 * business).
 */
@Timeout(60)
class LoadSchedulerTest {
    private static final TableId A = new TableId("shop", "a");
    private static final TableId B = new TableId("shop", "b");
    private static final TableId C = new TableId("shop", "c");

    private final GatedDestination destination = new GatedDestination();
    private final AtomicReference<IOException> reported = new AtomicReference<>();
    private final LoadMetrics.Outages outages = new LoadMetrics.Outages();
    private LoadScheduler scheduler;

    private LoadScheduler scheduler(int parallelism, int capacity) {
        TableLoader loader =
                new TableLoader("p", List.<TableSchema>of(), new LoadMetrics(new UnregisteredMetricsGroup()));
        scheduler = new LoadScheduler(parallelism, capacity, () -> destination, loader, reported::set, outages);
        return scheduler;
    }

    @AfterEach
    void close() {
        destination.releaseAll();
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void theFirstLoadRunsAlone() throws Exception {
        scheduler(2, 4).add(batch(1, A, B));

        destination.awaitStarted(A);
        assertThat(scheduler.loadsRunning()).as("B waits for the first load").isEqualTo(1);
        destination.release(A);
        destination.awaitStarted(B);
        destination.release(B);
        scheduler.awaitLoaded();
        assertThat(destination.started).containsExactly("a@1", "b@1");
    }

    @Test
    void tablesLoadAtTheSameTime() throws Exception {
        firstLoadDone(scheduler(2, 4));
        scheduler.add(batch(1, A, B));

        destination.awaitStarted(A);
        destination.awaitStarted(B); // both started while neither may finish
        assertThat(scheduler.loadsRunning()).isEqualTo(2);
        destination.release(A);
        destination.release(B);
        scheduler.awaitLoaded();
        assertThat(scheduler.takeLoaded()).extracting(StagedBatch::checkpointId).containsExactly(1L);
    }

    @Test
    void aTablesLoadsRunOneAtATimeInArrivalOrder() throws Exception {
        firstLoadDone(scheduler(2, 4));
        scheduler.add(batch(1, A));
        destination.awaitStarted(A);
        scheduler.add(batch(2, A, B));
        destination.awaitStarted(B); // batch 2's B need not wait for batch 1's A
        assertThat(destination.started).containsExactly("c@0", "a@1", "b@2");
        destination.release(A);
        destination.awaitStarted(A);
        assertThat(destination.started).containsExactly("c@0", "a@1", "b@2", "a@2");
        assertThat(scheduler.pending())
                .as("batch 2 waits for its A")
                .extracting(StagedBatch::checkpointId)
                .containsExactly(2L);
        destination.release(B);
        destination.release(A);
        scheduler.awaitLoaded();
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void aFullQueueMakesTheNextBatchWait() throws Exception {
        scheduler(1, 1).add(batch(1, A));
        destination.awaitStarted(A);

        StagedBatch next = batch(2, B);
        CompletableFuture<Void> added = new CompletableFuture<>();
        Thread second = new Thread(() -> {
            try {
                scheduler.add(next);
                added.complete(null);
            } catch (Exception e) {
                added.completeExceptionally(e);
            }
        });
        second.start();
        while (second.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until it waits in add(): the queue is full
        }
        assertThat(added).as("the second batch is held back").isNotDone();
        assertThat(destination.started).containsExactly("a@1");
        destination.release(A);
        added.get(30, TimeUnit.SECONDS);
        destination.awaitStarted(B);
        destination.release(B);
        scheduler.awaitLoaded();
        assertThat(destination.started).containsExactly("a@1", "b@2");
    }

    @Test
    void aFailedLoadIsReportedOnceAndItsBatchStaysPending() throws Exception {
        destination.failing.add(A);
        scheduler(2, 4).add(batch(1, A));

        assertThatThrownBy(scheduler::awaitLoaded)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("loading table shop.a of checkpoint 1 failed: the destination is down");
        assertThat(reported.get()).hasMessageContaining("the destination is down");
        assertThat(scheduler.pending()).extracting(StagedBatch::checkpointId).containsExactly(1L);
        assertThatThrownBy(() -> scheduler.add(batch(2, B)))
                .as("nothing more is taken after a failure")
                .isInstanceOf(IOException.class);
    }

    /**
     * The task meets a failure twice, from the mail that fails it and from {@code close}, and adds
     * the second to the first as suppressed. Flink then serializes the first for the job master; a
     * cycle (one failure object in both) overflowed the stack there and killed the TaskManager.
     */
    @Test
    void eachReportOfAFailureIsANewExceptionSoTheTasksTwoReportsMakeNoCycle() throws Exception {
        destination.failing.add(A);
        scheduler(1, 4).add(batch(1, A));
        IOException fromClose = catchThrowableOfType(IOException.class, scheduler::awaitLoaded);
        IOException fromMail = reported.get();

        assertThat(fromClose).isNotSameAs(fromMail).hasRootCauseMessage("the destination is down");
        fromMail.addSuppressed(fromClose); // what the task does with the second
        SerializedThrowable sent = new SerializedThrowable(fromMail); // what it sends the job master
        assertThat(sent.getFullStringifiedStackTrace()).contains("the destination is down");
    }

    @Test
    void anUnavailableDestinationIsWaitedOutAndTheTablesLaterLoadsWaitBehind() throws Exception {
        destination.refusals.put(A, 2); // refused twice: loaded after pauses of 1 s and 2 s
        destination.release(A);
        destination.release(A);
        scheduler(2, 4).add(batch(1, A));
        scheduler.add(batch(2, A));

        scheduler.awaitLoaded();
        assertThat(reported.get()).as("a failure reported").isNull();
        assertThat(destination.started).containsExactly("a@1", "a@2");
        assertThat(scheduler.takeLoaded()).extracting(StagedBatch::checkpointId).containsExactly(1L, 2L);
        assertThat(outages.count())
                .as("loads still waiting for the destination")
                .isZero();
    }

    @Test
    void aBatchWithNothingToLoadIsLoadedAtOnce() throws Exception {
        scheduler(1, 1).add(new StagedBatch(3, List.of(), List.of()));

        scheduler.awaitLoaded();
        assertThat(scheduler.takeLoaded()).extracting(StagedBatch::checkpointId).containsExactly(3L);
    }

    /** A first load of table C, done: the loads after it may run in parallel. */
    private void firstLoadDone(LoadScheduler scheduler) throws Exception {
        scheduler.add(batch(0, C));
        destination.awaitStarted(C);
        destination.release(C);
        scheduler.awaitLoaded();
        scheduler.takeLoaded();
    }

    private static StagedBatch batch(long checkpoint, TableId... tables) throws IOException {
        List<FileSinkCommittable> files = new ArrayList<>();
        for (TableId t : tables) {
            files.add(StateFixtures.pendingFile(t, "part-" + checkpoint + ".avro", 10));
        }
        return new StagedBatch(checkpoint, files, List.of());
    }

    /** Each table's load waits for the test's {@link #release}; records the order loads start in. */
    private static final class GatedDestination implements Destination {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<TableId> failing = new CopyOnWriteArrayList<>();
        /** Per table, how many more loads are refused as if the server were down. */
        final Map<TableId, Integer> refusals = new ConcurrentHashMap<>();

        private final Map<TableId, Semaphore> startedSignals = new ConcurrentHashMap<>();
        private final Map<TableId, Semaphore> gates = new ConcurrentHashMap<>();

        @Override
        public void createTables(List<TableSchema> tables) {}

        @Override
        public LoadResult load(LoadBatch batch) throws Exception {
            if (failing.contains(batch.table())) {
                throw new IOException("the destination is down");
            }
            if (refusals.getOrDefault(batch.table(), 0) > 0) {
                refusals.merge(batch.table(), -1, Integer::sum);
                throw new java.sql.SQLException("Connection to 127.0.0.1:5433 refused", "08001");
            }
            String file = batch.files().get(0).path();
            String checkpoint = file.substring(file.lastIndexOf("part-") + 5, file.lastIndexOf(".avro"));
            started.add(batch.table().table() + "@" + checkpoint);
            signal(batch.table()).release();
            gate(batch.table()).acquire();
            return new LoadResult(1, 1, false);
        }

        void awaitStarted(TableId table) throws InterruptedException {
            assertThat(signal(table).tryAcquire(30, TimeUnit.SECONDS))
                    .as("a load of %s started", table)
                    .isTrue();
        }

        void release(TableId table) {
            gate(table).release();
        }

        void releaseAll() {
            gates.values().forEach(g -> g.release(100));
        }

        private Semaphore signal(TableId table) {
            return startedSignals.computeIfAbsent(table, t -> new Semaphore(0));
        }

        private Semaphore gate(TableId table) {
            return gates.computeIfAbsent(table, t -> new Semaphore(0));
        }

        @Override
        public void close() {}
    }
}
