package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.testing.TestPostgres;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The enumerator over real tables, driven through Flink's test enumerator context (a plain
 * in-memory implementation of the context, not a mock of this code): lazy chunking, hand-out,
 * returned splits, checkpoint and restore, and the end of the snapshot.
 */
class ChunkSplitEnumeratorTest {
    private static final int PARALLELISM = 2;
    private static String url;
    private static SnapshotSourceConfig config;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_enum");
        exec(
                url,
                "CREATE TABLE a (id int PRIMARY KEY)",
                "INSERT INTO a SELECT g FROM generate_series(1, 1000) g",
                "CREATE TABLE b (id int PRIMARY KEY)",
                "CREATE TABLE c (v int)",
                "INSERT INTO c SELECT g FROM generate_series(1, 50) g");
        config = SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .tablePatterns(List.of("public.a", "public.b", "public.c"))
                .chunkSize(100)
                .startPosition(new Position(1, 2))
                .build();
    }

    @Test
    void makesChunksLazilyAndEndsTheSnapshotWhenAllAreHandedOut() throws Exception {
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(
                        context, config, SnapshotEnumeratorState.initial(config.startPosition()))) {
            enumerator.start();
            SnapshotEnumeratorState started = enumerator.snapshotState(1);
            assertThat(started.tablesDiscovered()).isTrue();
            assertThat(started.pendingTables())
                    .hasSize(3)
                    .allSatisfy(t -> assertThat(t.plan()).isNull());
            assertThat(started.unassignedSplits()).isEmpty();

            enumerator.handleSplitRequest(0, "host");
            SnapshotEnumeratorState afterOne = enumerator.snapshotState(2);
            assertThat(assigned(context)).extracting(ChunkSplit::splitId).containsExactly("public.a:0");
            // at most 2 × parallelism made ahead: the other three wait, table a is not fully split
            assertThat(afterOne.unassignedSplits())
                    .extracting(ChunkSplit::splitId)
                    .containsExactly("public.a:1", "public.a:2", "public.a:3");
            assertThat(afterOne.pendingTables().get(0).nextChunkIndex()).isEqualTo(4);

            int requests = 1;
            while (!context.hasNoMoreSplits(requests % PARALLELISM)) {
                enumerator.handleSplitRequest(requests % PARALLELISM, "host");
                assertThat(enumerator.snapshotState(3).unassignedSplits()).hasSizeLessThanOrEqualTo(2 * PARALLELISM);
                requests++;
                assertThat(requests).isLessThan(100);
            }
            enumerator.handleSplitRequest(0, "host");

            assertThat(assigned(context))
                    .extracting(ChunkSplit::splitId)
                    .containsExactly(
                            "public.a:0",
                            "public.a:1",
                            "public.a:2",
                            "public.a:3",
                            "public.a:4",
                            "public.a:5",
                            "public.a:6",
                            "public.a:7",
                            "public.a:8",
                            "public.a:9",
                            "public.b:0",
                            "public.c:0");
            assertThat(context.hasNoMoreSplits(0)).isTrue();
            assertThat(context.hasNoMoreSplits(1)).isTrue();
            SnapshotEnumeratorState end = enumerator.snapshotState(4);
            assertThat(end.pendingTables()).isEmpty();
            assertThat(end.unassignedSplits()).isEmpty();
            assertThat(end.progress().get(new TableId("public", "a")).chunksTotal())
                    .isEqualTo(10);
            assertThat(end.progress().get(new TableId("public", "a")).rowCountEstimate())
                    .isEqualTo(1000);
            assertThat(end.startPosition()).isEqualTo(new Position(1, 2));
        }
    }

    @Test
    void returnedSplitsAreHandedOutAgainWithTheirProgress() throws Exception {
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator =
                        new ChunkSplitEnumerator(context, config, SnapshotEnumeratorState.initial(Position.SNAPSHOT))) {
            enumerator.start();
            enumerator.handleSplitRequest(0, "host");
            ChunkSplit first = assigned(context).get(0);
            ChunkSplit withProgress = first.withProgress(new Object[] {42}, null);

            enumerator.addSplitsBack(List.of(withProgress), 0);
            enumerator.handleSplitRequest(1, "host");

            assertThat(assigned(context).get(1)).isEqualTo(withProgress);
        }
    }

    @Test
    void aRestoredEnumeratorContinuesWhereTheCheckpointLeftOff() throws Exception {
        List<ChunkSplit> handedOut = new ArrayList<>();
        byte[] checkpoint;
        SnapshotEnumeratorStateSerializer serializer = SnapshotEnumeratorStateSerializer.INSTANCE;
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator =
                        new ChunkSplitEnumerator(context, config, SnapshotEnumeratorState.initial(Position.SNAPSHOT))) {
            enumerator.start();
            for (int i = 0; i < 5; i++) {
                enumerator.handleSplitRequest(i % PARALLELISM, "host");
            }
            enumerator.handleSourceEvent(0, new ChunkFinishedEvent(new TableId("public", "a"), "public.a:0"));
            checkpoint = serializer.serialize(enumerator.snapshotState(7));
            handedOut.addAll(assigned(context)); // held by the readers, in their own checkpoints
        }

        SnapshotEnumeratorState restoredState = serializer.deserialize(serializer.getVersion(), checkpoint);
        assertThat(restoredState.finishedChunks()).containsEntry(new TableId("public", "a"), 1L);
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator restored = new ChunkSplitEnumerator(context, config, restoredState)) {
            restored.start();
            int requests = 0;
            while (!context.hasNoMoreSplits(0)) {
                restored.handleSplitRequest(0, "host");
                assertThat(++requests).isLessThan(100);
            }
            handedOut.addAll(assigned(context));
        }

        assertThat(handedOut)
                .extracting(ChunkSplit::splitId)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(
                        "public.a:0",
                        "public.a:1",
                        "public.a:2",
                        "public.a:3",
                        "public.a:4",
                        "public.a:5",
                        "public.a:6",
                        "public.a:7",
                        "public.a:8",
                        "public.a:9",
                        "public.b:0",
                        "public.c:0");
    }

    @Test
    void anUnknownTableFailsTheStartWithThePattern() throws Exception {
        SnapshotSourceConfig wrong = TestSql.config(url, 100, "public.a", "public.missing");
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator =
                        new ChunkSplitEnumerator(context, wrong, SnapshotEnumeratorState.initial(Position.SNAPSHOT))) {
            assertThatThrownBy(enumerator::start)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'public.missing'");
        }
    }

    @Test
    void aSnapshotThatTheLogContinuesRecordsTheLogStartOnceAndItsChunksCarryItsPosition() throws Exception {
        LogStart start = LogStart.mysql("mysql-bin.000042", 4711);
        List<List<TableId>> recorded = new ArrayList<>();
        LogStartRecorder recorder = (connection, tables) -> {
            recorded.add(tables.stream().map(io.eltcdc.model.TableSchema::id).toList());
            return start;
        };
        SnapshotEnumeratorState checkpoint;
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(
                        context, config, SnapshotEnumeratorState.initial(config.startPosition()), recorder)) {
            enumerator.start();
            assertThat(recorded)
                    .containsExactly(List.of(
                            new TableId("public", "a"), new TableId("public", "b"), new TableId("public", "c")));
            assertThat(enumerator.logStart()).isEqualTo(start);
            enumerator.handleSplitRequest(0, "host");
            assertThat(assigned(context))
                    .singleElement()
                    .satisfies(split -> assertThat(split.position()).isEqualTo(start.position()));
            checkpoint = enumerator.snapshotState(1);
        }
        assertThat(checkpoint.logStart()).isEqualTo(start);
        assertThat(checkpoint.startPosition()).isEqualTo(start.position());

        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator restored = new ChunkSplitEnumerator(context, config, checkpoint, recorder)) {
            restored.start();
            restored.handleSplitRequest(1, "host");
            assertThat(recorded)
                    .as("a restored enumerator keeps the recorded start")
                    .hasSize(1);
            assertThat(assigned(context))
                    .allSatisfy(split -> assertThat(split.position()).isEqualTo(start.position()));
        }
    }

    private static MockSplitEnumeratorContext<ChunkSplit> context() {
        MockSplitEnumeratorContext<ChunkSplit> context = new MockSplitEnumeratorContext<>(PARALLELISM);
        for (int i = 0; i < PARALLELISM; i++) {
            context.registerReader(new ReaderInfo(i, "host"));
        }
        return context;
    }

    private static List<ChunkSplit> assigned(MockSplitEnumeratorContext<ChunkSplit> context) {
        List<ChunkSplit> splits = new ArrayList<>();
        for (SplitsAssignment<ChunkSplit> assignment : context.getSplitsAssignmentSequence()) {
            assignment.assignment().values().forEach(splits::addAll);
        }
        return splits;
    }
}
