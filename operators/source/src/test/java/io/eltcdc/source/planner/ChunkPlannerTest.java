package io.eltcdc.source.planner;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkingPlan.Strategy;
import io.eltcdc.source.postgres.PostgresPlannerQueries;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import io.eltcdc.source.snapshot.TestSql;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunk boundaries as the planner cuts them from real tables, checked against the tables with SQL
 * written independently of the planner: chunks follow each other without gap or overlap, their
 * row counts add up to the table's, and none holds more than twice the chunk size.
 */
class ChunkPlannerTest {
    private static final int CHUNK = 100;

    private static String url;
    private static Connection connection;
    private final ChunkPlanner planner = new ChunkPlanner(CHUNK, PostgresPlannerQueries.INSTANCE);

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_planner");
        exec(
                url,
                "CREATE TABLE even_int (id int PRIMARY KEY, v text)",
                "INSERT INTO even_int SELECT g, 'v' || g FROM generate_series(1, 1000) g",
                // 800 of 1000 values: dense enough to cut arithmetically, with a hole
                "CREATE TABLE holey_int (id int PRIMARY KEY)",
                "INSERT INTO holey_int SELECT g FROM generate_series(1, 1000) g WHERE g NOT BETWEEN 301 AND 500",
                // 300 dense keys, then 300 keys 10^12 apart: an arithmetic cut would put 300 rows in one chunk
                "CREATE TABLE skewed (id bigint PRIMARY KEY, v text)",
                "INSERT INTO skewed SELECT g, 'dense' FROM generate_series(1, 300) g",
                "INSERT INTO skewed SELECT g * 1000000000000, 'sparse' FROM generate_series(1, 300) g",
                "CREATE TABLE text_key (name text PRIMARY KEY)",
                "INSERT INTO text_key SELECT md5(g::text) FROM generate_series(1, 550) g",
                "CREATE TABLE composite (a int, b text, v int, PRIMARY KEY (a, b))",
                "INSERT INTO composite SELECT a, 'b' || b, a * b FROM generate_series(1, 20) a, generate_series(1, 25) b",
                "CREATE TABLE empty_t (id int PRIMARY KEY)",
                "CREATE TABLE keyless (v int)",
                "INSERT INTO keyless SELECT g FROM generate_series(1, 250) g",
                "CREATE TABLE custom_keyed (code text NOT NULL, v int)",
                "INSERT INTO custom_keyed SELECT 'c' || g, g FROM generate_series(1, 230) g",
                "CREATE TABLE null_keyed (code text, v int)",
                "INSERT INTO null_keyed VALUES ('a', 1), (NULL, 2)",
                "CREATE SCHEMA hidden",
                "CREATE TABLE hidden.\"Odd Table\" (\"Order\" int PRIMARY KEY, \"Part\" text)",
                "INSERT INTO hidden.\"Odd Table\" SELECT g * 3, 'p' FROM generate_series(1, 333) g");
        connection = SourceConnections.open(TestSql.config(url, CHUNK, "public.*"), "test");
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @Test
    void evenIntegerKeysAreCutArithmetically() throws SQLException {
        TableSchema schema = TestSql.schema(url, "public.even_int");
        TableSplitting table = new TableSplitting(schema);
        table.planned(planner.plan(connection, schema));
        assertThat(table.plan().strategy()).isEqualTo(Strategy.ARITHMETIC);
        assertThat(table.plan().rowCount()).isEqualTo(1000);
        assertThat(table.plan().exactCount()).isTrue();
        assertThat(table.plan().estimatedChunks()).isEqualTo(10);

        List<ChunkSplit> chunks = allChunks(table);

        assertThat(chunks)
                .extracting(c -> bound(c.upperBound()))
                .containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900, null);
        assertThat(chunks)
                .extracting(c -> bound(c.lowerBound()))
                .containsExactly(null, 100, 200, 300, 400, 500, 600, 700, 800, 900);
        assertCoverage("even_int", List.of("id"), chunks, 1000);
        assertThat(countsPerChunk("even_int", List.of("id"), chunks)).containsOnly(100L);
    }

    @Test
    void integerKeysWithAHoleStayWithinTwiceTheChunkSize() throws SQLException {
        List<ChunkSplit> chunks = planAll("public.holey_int", Strategy.ARITHMETIC);
        assertCoverage("holey_int", List.of("id"), chunks, 800);
        // 800 rows in 1000 values: each chunk spans 125 values, so about 100 rows where the keys are dense
        assertThat(countsPerChunk("holey_int", List.of("id"), chunks)).contains(125L);
    }

    @Test
    void skewedBigintKeysAreCutAtBoundariesReadFromTheTable() throws SQLException {
        List<ChunkSplit> chunks = planAll("public.skewed", Strategy.BOUNDARY);
        assertCoverage("skewed", List.of("id"), chunks, 600);
        assertThat(chunks.get(0).upperBound()).containsExactly(100L);
        assertThat(chunks.get(3).upperBound()).containsExactly(100L * 1_000_000_000_000L);
    }

    @Test
    void textKeysAreCutIntoChunksOfTheChunkSize() throws SQLException {
        List<ChunkSplit> chunks = planAll("public.text_key", Strategy.BOUNDARY);
        assertCoverage("text_key", List.of("name"), chunks, 550);
        assertThat(countsPerChunk("text_key", List.of("name"), chunks))
                .containsExactly(100L, 100L, 100L, 100L, 100L, 50L);
    }

    @Test
    void compositeKeysAreCutWithRowComparisons() throws SQLException {
        List<ChunkSplit> chunks = planAll("public.composite", Strategy.BOUNDARY);
        assertCoverage("composite", List.of("a", "b"), chunks, 500);
        // row 100 in (a, b) order: a = 4 holds b1, b10..b19, b2, b20..b25, b3.. (text order); the 100th is a = 4's last
        assertThat(chunks.get(0).upperBound()).containsExactly(4, "b9");
        assertThat(countsPerChunk("composite", List.of("a", "b"), chunks)).startsWith(100L, 100L, 100L, 100L, 100L);
    }

    @Test
    void quotedIdentifiersWork() throws SQLException {
        List<ChunkSplit> chunks = planAll("hidden.Odd Table", Strategy.BOUNDARY);
        // 333 keys spread over 999 values: density 1/3, so boundaries are read
        assertCoverage("hidden.\"Odd Table\"", List.of("\"Order\""), chunks, 333);
        assertThat(chunks.get(0).upperBound()).containsExactly(300);
    }

    @Test
    void aCustomKeyChunksATableWithoutPrimaryKey() throws SQLException {
        TableSchema schema = TestSql.schema(url, "public.custom_keyed", Map.of("public.custom_keyed", List.of("code")));
        TableSplitting table = new TableSplitting(schema);
        table.planned(planner.plan(connection, schema));
        assertThat(table.plan().strategy()).isEqualTo(Strategy.BOUNDARY);
        List<ChunkSplit> chunks = allChunks(table);
        assertCoverage("custom_keyed", List.of("code"), chunks, 230);
    }

    @Test
    void aCustomKeyWithNullsStopsWithAClearMessage() throws SQLException {
        TableSchema schema = TestSql.schema(url, "public.null_keyed", Map.of("public.null_keyed", List.of("code")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> planner.plan(connection, schema))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("public.null_keyed")
                .hasMessageContaining("NULL")
                .hasMessageContaining("source.primary-keys");
    }

    @Test
    void anEmptyTableIsOneUnboundedChunk() throws SQLException {
        List<ChunkSplit> chunks = planAll("public.empty_t", Strategy.SINGLE_KEY);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).readOrder()).isEqualTo(ChunkSplit.ReadOrder.KEY);
        assertThat(chunks.get(0).lowerBound()).isNull();
        assertThat(chunks.get(0).upperBound()).isNull();
    }

    @Test
    void aKeylessTableIsOneChunkReadByRowLocation() throws SQLException {
        List<ChunkSplit> chunks = planAll("public.keyless", Strategy.SINGLE_ROW_LOCATION);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).readOrder()).isEqualTo(ChunkSplit.ReadOrder.ROW_LOCATION);
        assertThat(chunks.get(0).lastRowLocation()).isNull();
    }

    @Test
    void aTableThatDisappearedIsReportedByName() throws SQLException {
        exec(url, "CREATE TABLE doomed (id int PRIMARY KEY)");
        TableSchema schema = TestSql.schema(url, "public.doomed");
        exec(url, "DROP TABLE doomed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> planner.plan(connection, schema))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("\"public\".\"doomed\" no longer exists");
    }

    private List<ChunkSplit> planAll(String table, Strategy expected) throws SQLException {
        TableSchema schema = TestSql.schema(url, table);
        TableSplitting splitting = new TableSplitting(schema);
        splitting.planned(planner.plan(connection, schema));
        assertThat(splitting.plan().strategy()).isEqualTo(expected);
        return allChunks(splitting);
    }

    private List<ChunkSplit> allChunks(TableSplitting table) throws SQLException {
        List<ChunkSplit> chunks = new ArrayList<>();
        while (!table.done()) {
            chunks.add(planner.nextChunk(connection, table));
            assertThat(chunks).hasSizeLessThan(1000);
        }
        return chunks;
    }

    private static Object bound(Object[] key) {
        return key == null ? null : key[0];
    }

    /**
     * Chunks are numbered from 0, open at both ends of the table, each starting where the previous
     * ended (so they cannot overlap), hold every row exactly once between them, and none more than
     * twice the chunk size.
     */
    private static void assertCoverage(String table, List<String> key, List<ChunkSplit> chunks, long rows)
            throws SQLException {
        assertThat(chunks)
                .extracting(ChunkSplit::chunkIndex)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, chunks.size())
                        .boxed()
                        .toList());
        assertThat(chunks.get(0).lowerBound()).isNull();
        assertThat(chunks.get(chunks.size() - 1).upperBound()).isNull();
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).lowerBound()).isEqualTo(chunks.get(i - 1).upperBound());
            assertThat(chunks.get(i - 1).upperBound())
                    .as("only the last chunk is open-ended")
                    .isNotNull();
        }
        List<Long> counts = countsPerChunk(table, key, chunks);
        assertThat(counts.stream().mapToLong(Long::longValue).sum())
                .isEqualTo(rows)
                .isEqualTo(TestSql.queryLong(url, "SELECT count(*) FROM " + table));
        assertThat(counts).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2L * CHUNK));
    }

    /** Rows per chunk, counted with a range predicate written here, not by the planner's SQL. */
    private static List<Long> countsPerChunk(String table, List<String> key, List<ChunkSplit> chunks)
            throws SQLException {
        String tuple = "(" + String.join(", ", key) + ")";
        String params = "(" + String.join(", ", key.stream().map(k -> "?").toList()) + ")";
        List<Long> counts = new ArrayList<>();
        try (Connection c = TestPostgres.connect(url)) {
            for (ChunkSplit chunk : chunks) {
                Object[] lower = chunk.lowerBound();
                Object[] upper = chunk.upperBound();
                String sql = "SELECT count(*) FROM " + table + " WHERE "
                        + (lower == null ? "true" : tuple + " > " + params) + " AND "
                        + (upper == null ? "true" : tuple + " <= " + params);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (Object[] bound : Arrays.asList(lower, upper)) {
                        if (bound != null) {
                            for (Object v : bound) {
                                ps.setObject(i++, v);
                            }
                        }
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.add(rs.getLong(1));
                    }
                }
            }
        }
        return counts;
    }
}
