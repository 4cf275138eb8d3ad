package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enumerator of a snapshot read beside the change log marks each table complete only once a
 * checkpoint that counted it complete has completed, and keeps its readers until every table is
 * marked; over real tables and Flink's in-memory enumerator context.
 */
class SnapshotCompletionsTest {
    private static final int PARALLELISM = 2;
    private static final TableId A = new TableId("public", "a");
    private static final TableId B = new TableId("public", "b");
    private static String url;

    @TempDir
    Path staging;

    private TableSyncControl markers;
    private SnapshotSourceConfig config;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_completions");
        exec(
                url,
                "CREATE TABLE a (id int PRIMARY KEY)",
                "INSERT INTO a SELECT g FROM generate_series(1, 300) g",
                "CREATE TABLE b (id int PRIMARY KEY)",
                "INSERT INTO b SELECT g FROM generate_series(1, 50) g");
    }

    @BeforeEach
    void config() {
        markers = new TableSyncControl(staging.toUri().toString(), "p");
        config = SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .tablePatterns(List.of("public.a", "public.b"))
                .chunkSize(100)
                .startPosition(new Position(1, 2))
                .completionMarkers(markers)
                .build();
    }

    @Test
    void aTableIsMarkedAfterTheCheckpointThatCountedItCompleteAndReadersWaitForAllMarks() throws Exception {
        markers.snapshotComplete(B); // left by an earlier start of the pipeline
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(
                        context, config, SnapshotEnumeratorState.initial(config.startPosition()))) {
            enumerator.start();
            assertThat(markers.snapshotsComplete())
                    .as("a fresh start clears old marks")
                    .isEmpty();

            List<ChunkSplit> splits = readAll(enumerator, context);
            assertThat(splits).extracting(ChunkSplit::splitId).hasSize(4); // a:0..2, b:0
            for (ChunkSplit split : splits) {
                if (split.table().equals(A)) {
                    enumerator.handleSourceEvent(0, new ChunkFinishedEvent(A, split.splitId()));
                }
            }
            enumerator.notifyCheckpointComplete(1); // taken before: not a checkpoint that counted a complete
            assertThat(markers.snapshotsComplete()).isEmpty();

            enumerator.snapshotState(2);
            enumerator.notifyCheckpointComplete(2);
            assertThat(markers.snapshotsComplete()).containsExactly(A);

            enumerator.handleSplitRequest(0, "host");
            enumerator.handleSplitRequest(1, "host");
            assertThat(context.hasNoMoreSplits(0))
                    .as("readers wait until every table is marked")
                    .isFalse();

            // b's report is lost (a restore between the report and a checkpoint): every reader
            // asking with no chunk left completes it all the same.
            enumerator.snapshotState(3);
            enumerator.notifyCheckpointComplete(3);
            assertThat(markers.snapshotsComplete()).containsExactlyInAnyOrder(A, B);
            assertThat(context.hasNoMoreSplits(0)).isTrue();
            assertThat(context.hasNoMoreSplits(1)).isTrue();
        }
    }

    @Test
    void aRestoreMarksTheTablesItsCheckpointCountedComplete() throws Exception {
        SnapshotEnumeratorState checkpoint;
        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator enumerator = new ChunkSplitEnumerator(
                        context, config, SnapshotEnumeratorState.initial(config.startPosition()))) {
            enumerator.start();
            for (ChunkSplit split : readAll(enumerator, context)) {
                if (split.table().equals(B)) {
                    enumerator.handleSourceEvent(1, new ChunkFinishedEvent(B, split.splitId()));
                }
            }
            checkpoint = enumerator.snapshotState(5); // the job fails before it completes
        }
        assertThat(markers.snapshotsComplete()).isEmpty();

        try (MockSplitEnumeratorContext<ChunkSplit> context = context();
                ChunkSplitEnumerator restored = new ChunkSplitEnumerator(context, config, checkpoint)) {
            restored.start(); // restored from checkpoint 5, which has completed
            assertThat(markers.snapshotsComplete()).containsExactly(B);
        }
    }

    /** Hands out every chunk, one request per chunk, alternating readers. */
    private static List<ChunkSplit> readAll(
            ChunkSplitEnumerator enumerator, MockSplitEnumeratorContext<ChunkSplit> context) {
        for (int i = 0; i < 4; i++) {
            enumerator.handleSplitRequest(i % PARALLELISM, "host");
        }
        return context.getSplitsAssignmentSequence().stream()
                .map(SplitsAssignment::assignment)
                .flatMap(m -> m.values().stream())
                .flatMap(List::stream)
                .toList();
    }

    private static MockSplitEnumeratorContext<ChunkSplit> context() {
        MockSplitEnumeratorContext<ChunkSplit> context = new MockSplitEnumeratorContext<>(PARALLELISM);
        for (int i = 0; i < PARALLELISM; i++) {
            context.registerReader(new ReaderInfo(i, "host"));
        }
        return context;
    }
}
