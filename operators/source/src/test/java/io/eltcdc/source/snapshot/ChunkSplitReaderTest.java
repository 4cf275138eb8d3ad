package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.TableSplitting;
import io.eltcdc.source.postgres.PostgresPlannerQueries;
import io.eltcdc.testing.TestPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The split reader against real tables: whole chunks, batches, resuming after a key or row location. */
class ChunkSplitReaderTest {
    private static String url;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_reader");
        exec(
                url,
                "CREATE TABLE items (id int PRIMARY KEY, v text)",
                "INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 5000) g",
                "CREATE TABLE log (line text)",
                "INSERT INTO log SELECT 'line ' || g FROM generate_series(1, 700) g",
                // Keyless and partitioned: ctids repeat across partitions.
                "CREATE TABLE plog (k int, line text) PARTITION BY RANGE (k)",
                "CREATE TABLE plog_a PARTITION OF plog FOR VALUES FROM (0) TO (100)",
                "CREATE TABLE plog_b PARTITION OF plog FOR VALUES FROM (100) TO (200)",
                "INSERT INTO plog SELECT g % 200, 'p ' || g FROM generate_series(1, 400) g",
                // far more than the socket buffers hold: the server is still sending when a reader stops
                "CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 200000) g");
    }

    @Test
    void readsEveryChunkOfATableOnceInBatchesOfAtMost2048Rows() throws Exception {
        SnapshotSourceConfig config = TestSql.config(url, 700, "public.items");
        TableSchema schema = TestSql.schema(url, "public.items");
        List<ChunkSplit> chunks = new ArrayList<>();
        ChunkPlanner planner = new ChunkPlanner(config.chunkSize(), PostgresPlannerQueries.INSTANCE);
        try (Connection c = SourceConnections.open(config, "test")) {
            TableSplitting table = new TableSplitting(schema);
            table.planned(planner.plan(c, schema));
            while (!table.done()) {
                chunks.add(planner.nextChunk(c, table));
            }
        }
        // one chunk larger than a batch, to see it span fetches
        chunks.add(ChunkSplit.keyRange(schema, 99, false, new Object[] {0}, new Object[] {3000}));

        List<Object> ids = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        try (ChunkSplitReader reader = new ChunkSplitReader(config)) {
            reader.handleSplitsChanges(new SplitsAddition<>(chunks));
            while (finished.size() < chunks.size()) {
                RecordsWithSplitIds<SnapshotRow> batch = reader.fetch();
                List<SnapshotRow> rows = drain(batch);
                assertThat(rows.size()).isLessThanOrEqualTo(ChunkSplitReader.MAX_ROWS_PER_FETCH);
                rows.forEach(r -> ids.add(r.record().value(0)));
                finished.addAll(batch.finishedSplits());
            }
        }

        List<Object> expected = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            expected.add(i);
        }
        for (int i = 1; i <= 3000; i++) {
            expected.add(i);
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aChunkWithALastKeyResumesAfterIt() throws Exception {
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .table("public.items")
                .build();
        TableSchema schema = TestSql.schema(url, "public.items");
        ChunkSplit restored = ChunkSplit.keyRange(schema, 3, false, new Object[] {1000}, new Object[] {2000})
                .withProgress(new Object[] {1994}, null)
                .withPosition(new Position(0, 42)); // the position the enumerator gave the chunk

        List<ChangeRecord> records = readAll(config, restored);

        assertThat(records).extracting(r -> r.value(0)).containsExactly(1995, 1996, 1997, 1998, 1999, 2000);
        assertThat(records)
                .extracting(r -> r.value(1))
                .containsExactly("v1995", "v1996", "v1997", "v1998", "v1999", "v2000");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.op()).isEqualTo(Op.READ);
            assertThat(r.position()).isEqualTo(new Position(0, 42));
        });
    }

    @Test
    void aKeylessChunkResumesAfterItsLastRowLocation() throws Exception {
        assertResumesByRowLocation("public.log", 700, 250);
    }

    @Test
    void aKeylessPartitionedChunkResumesAfterItsLastRowLocation() throws Exception {
        // 250 rows in: past the first partition's 200 rows, inside the second's
        assertResumesByRowLocation("public.plog", 400, 250);
    }

    private static void assertResumesByRowLocation(String table, int rows, int emittedBefore) throws Exception {
        SnapshotSourceConfig config = TestSql.config(url, 100, table);
        TableSchema schema = TestSql.schema(url, table);
        boolean partitioned = table.equals("public.plog");
        ChunkSplit whole = ChunkSplit.wholeTableByRowLocation(schema, 0, partitioned);

        List<SnapshotRow> all = readRows(config, whole);
        assertThat(all).hasSize(rows);
        assertThat(all).extracting(SnapshotRow::rowLocation).doesNotHaveDuplicates();

        String location = all.get(emittedBefore - 1).rowLocation();
        List<SnapshotRow> rest = readRows(config, whole.withProgress(null, location));

        assertThat(rest)
                .extracting(r -> r.record().value(schema.indexOf("line")))
                .containsExactlyElementsOf(all.subList(emittedBefore, rows).stream()
                        .map(r -> r.record().value(schema.indexOf("line")))
                        .toList());
    }

    @Test
    void aMissingTableFailsWithItsName() throws Exception {
        exec(url, "CREATE TABLE gone (id int PRIMARY KEY)");
        TableSchema schema = TestSql.schema(url, "public.gone");
        exec(url, "DROP TABLE gone");
        SnapshotSourceConfig config = TestSql.config(url, 100, "public.gone");
        assertThatThrownBy(() -> readAll(config, ChunkSplit.keyRange(schema, 0, false, null, null)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("public.gone")
                .hasMessageContaining("Check that the table still exists");
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutThePassword() {
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2&password=inUrl")
                .username("someone")
                .password("s3cret-pass")
                .table("public.t")
                .build();
        assertThatThrownBy(() -> SourceConnections.open(config, "test"))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("127.0.0.1:1/nowhere")
                .hasMessageContaining("Check the source host, port")
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("s3cret-pass").doesNotContain("inUrl"));
        assertThat(config.toString())
                .doesNotContain("s3cret-pass")
                .doesNotContain("inUrl")
                .contains("password=***");
    }

    @Test
    void closingInTheMiddleOfAChunkEndsItsQueryPromptly() throws Exception {
        SnapshotSourceConfig config = TestSql.config(url, 1000, "public.big");
        TableSchema schema = TestSql.schema(url, "public.big");
        ChunkSplitReader reader = new ChunkSplitReader(config);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(ChunkSplit.keyRange(schema, 0, false, null, null))));
        assertThat(drain(reader.fetch())).hasSize(ChunkSplitReader.MAX_ROWS_PER_FETCH);
        assertThat(readerBackends()).isEqualTo(1);

        long start = System.nanoTime();
        reader.close();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to close").isLessThan(5);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (readerBackends() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(
                    50_000_000L); // poll interval; the deadline bounds the wait
        }
        assertThat(readerBackends()).as("reader connections left on the server").isZero();
    }

    @Test
    void theSplitReadersOfOneReaderShareItsConnection() throws Exception {
        SnapshotSourceConfig config = TestSql.config(url, 1000, "public.items");
        TableSchema schema = TestSql.schema(url, "public.items");
        try (ReaderConnections connections = new ReaderConnections(config)) {
            for (int chunk = 0; chunk < 3; chunk++) {
                // Flink makes a new split reader for each chunk a reader gets after running out of them
                ChunkSplit split = ChunkSplit.keyRange(
                        schema, chunk, false, new Object[] {chunk * 1000}, new Object[] {chunk * 1000 + 1000});
                try (ChunkSplitReader reader = new ChunkSplitReader(config, connections)) {
                    reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
                    assertThat(drain(reader.fetch())).hasSize(1000);
                    assertThat(readerBackends()).isEqualTo(1);
                }
            }
            assertThat(readerBackends()).as("kept between chunks").isEqualTo(1);

            Connection kept = connections.take();
            try (var s = kept.createStatement();
                    var rs = s.executeQuery("SHOW default_transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
            kept.commit();
            Connection other = connections.take();
            assertThat(other).isNotSameAs(kept);
            connections.giveBack(kept);
            connections.giveBack(other); // one is kept at most
            assertThat(other.isClosed()).isTrue();
            assertThat(connections.take()).isSameAs(kept);
            connections.giveBack(kept);
        }
        assertThat(readerBackends()).as("closed with the reader").isZero();
    }

    /** Reader connections open on this test's database. */
    private static long readerBackends() throws SQLException {
        return TestSql.queryLong(
                url,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = 'elt-cdc snapshot reader'");
    }

    private static List<ChangeRecord> readAll(SnapshotSourceConfig config, ChunkSplit split) throws Exception {
        return readRows(config, split).stream().map(SnapshotRow::record).toList();
    }

    private static List<SnapshotRow> readRows(SnapshotSourceConfig config, ChunkSplit split) throws Exception {
        List<SnapshotRow> rows = new ArrayList<>();
        try (ChunkSplitReader reader = new ChunkSplitReader(config)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            while (true) {
                RecordsWithSplitIds<SnapshotRow> batch = reader.fetch();
                rows.addAll(drain(batch));
                if (batch.finishedSplits().contains(split.splitId())) {
                    return rows;
                }
            }
        }
    }

    private static List<SnapshotRow> drain(RecordsWithSplitIds<SnapshotRow> batch) {
        List<SnapshotRow> rows = new ArrayList<>();
        while (batch.nextSplit() != null) {
            SnapshotRow row;
            while ((row = batch.nextRecordFromSplit()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }
}
