package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlTestSql.exec;
import static io.eltcdc.source.mysql.MySqlTestSql.numbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.ChunkingPlan.Strategy;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.ChunkSplitState;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import io.eltcdc.testing.TestMySql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MySQL / MariaDB tables cut into chunks and read back: whatever the key (integers signed and
 * unsigned, skewed, strings under a case-insensitive collation, composite, custom, none), the
 * chunks follow each other without gap or overlap and every row is read exactly once. Every table
 * has a {@code seq} column numbering its rows from 1, which the checks count on.
 */
class MySqlChunkingTest {
    private static final int CHUNK = 100;

    private static String url;
    private static final String DB = "src_mysql_chunking";

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestMySql.createDatabase(DB);
        exec(
                url,
                "CREATE TABLE even_int (id int PRIMARY KEY, seq int)",
                "INSERT INTO even_int SELECT n, n FROM " + numbers(1000),
                // 1000 values at the very top of int unsigned (INT64 keys)
                "CREATE TABLE unsigned_int (id int unsigned PRIMARY KEY, seq int)",
                "INSERT INTO unsigned_int SELECT 4294967295 - 1000 + n, n FROM " + numbers(1000),
                // bigint unsigned (DECIMAL(20,0) keys): small values are cut arithmetically…
                "CREATE TABLE unsigned_big_small (id bigint unsigned PRIMARY KEY, seq int)",
                "INSERT INTO unsigned_big_small SELECT n, n FROM " + numbers(500),
                // …and values beyond a long at boundaries read from the table
                "CREATE TABLE unsigned_big_huge (id bigint unsigned PRIMARY KEY, seq int)",
                "INSERT INTO unsigned_big_huge SELECT 18446744073709551615 - n + 1, n FROM " + numbers(300),
                "INSERT INTO unsigned_big_huge SELECT n, 300 + n FROM " + numbers(250),
                // 300 dense keys, then 300 keys 10^12 apart: an arithmetic cut would put 300 rows in one chunk
                "CREATE TABLE skewed (id bigint PRIMARY KEY, seq int)",
                "INSERT INTO skewed SELECT n - 150, n FROM " + numbers(300),
                "INSERT INTO skewed SELECT n * 1000000000000, 300 + n FROM " + numbers(300),
                // Mixed case: the server's (case-insensitive) order interleaves 'k…' and 'K…', which a
                // binary or Java order would separate
                "CREATE TABLE text_ci (k varchar(20) COLLATE utf8mb4_general_ci PRIMARY KEY, seq int)",
                "INSERT INTO text_ci SELECT CONCAT(IF(n % 2 = 0, 'k', 'K'), LPAD(n, 4, '0'), IF(n % 3 = 0, 'é', 'E')),"
                        + " n FROM " + numbers(550),
                "CREATE TABLE composite (a int, b varchar(10) COLLATE utf8mb4_general_ci, seq int, PRIMARY KEY (a, b))",
                "INSERT INTO composite SELECT 1 + n % 20, CONCAT(IF(n % 2 = 0, 'b', 'B'), n), n FROM " + numbers(500),
                // A configured key that is not unique under its collation: 'a', 'A', 'a ' (PAD SPACE) and
                // 'á' are one value to the server, and all of them must land in the same chunk
                "CREATE TABLE custom_ci (code varchar(10) COLLATE utf8mb4_general_ci NOT NULL, seq int)",
                "INSERT INTO custom_ci SELECT CONCAT(CHAR(97 + (n DIV 4) % 26), ELT(1 + n % 4, 'a', 'A', 'á', 'a ')),"
                        + " n FROM " + numbers(430),
                "CREATE TABLE keyless (seq int, w varchar(20))",
                "INSERT INTO keyless SELECT n, IF(n % 5 = 0, NULL, CONCAT('w', n)) FROM " + numbers(250),
                "CREATE TABLE enum_key (e enum('z', 'y', 'x') PRIMARY KEY, seq int)",
                "INSERT INTO enum_key VALUES ('x', 1), ('z', 2), ('y', 3)",
                "CREATE TABLE empty_t (id int PRIMARY KEY, seq int)",
                "CREATE TABLE null_keyed (code varchar(10), seq int)",
                "INSERT INTO null_keyed VALUES ('a', 1), (NULL, 2)",
                "CREATE TABLE `Odd ``Table` (`Order` int PRIMARY KEY, `se q` int)",
                "INSERT INTO `Odd ``Table` SELECT n * 3, n FROM " + numbers(333));
    }

    @Test
    void evenIntegerKeysAreCutArithmetically() throws Exception {
        List<ChunkSplit> chunks = assertChunked("even_int", Strategy.ARITHMETIC, 1000, Map.of());
        assertThat(chunks)
                .extracting(c -> bound(c.upperBound()))
                .containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900, null);
    }

    @Test
    void unsignedIntegerKeysAreCutArithmeticallyToo() throws Exception {
        List<ChunkSplit> chunks = assertChunked("unsigned_int", Strategy.ARITHMETIC, 1000, Map.of());
        assertThat(chunks.get(0).upperBound()).containsExactly(4294967295L - 1000 + 100);

        chunks = assertChunked("unsigned_big_small", Strategy.ARITHMETIC, 500, Map.of());
        assertThat(chunks.get(0).upperBound()).containsExactly(new BigDecimal(100));
    }

    @Test
    void unsignedBigintKeysBeyondALongAreCutAtBoundaries() throws Exception {
        List<ChunkSplit> chunks = assertChunked("unsigned_big_huge", Strategy.BOUNDARY, 550, Map.of());
        // 250 small keys first, then the huge ones from 2^64 - 300: row 400 is the 150th of those
        assertThat(chunks.get(3).upperBound()).containsExactly(new BigDecimal("18446744073709551465"));
    }

    @Test
    void skewedKeysAreCutAtBoundariesReadFromTheTable() throws Exception {
        List<ChunkSplit> chunks = assertChunked("skewed", Strategy.BOUNDARY, 600, Map.of());
        assertThat(chunks.get(0).upperBound()).containsExactly(-50L);
        assertThat(chunks.get(3).upperBound()).containsExactly(100L * 1_000_000_000_000L);
    }

    @Test
    void stringKeysFollowTheServersCollation() throws Exception {
        List<ChunkSplit> chunks = assertChunked("text_ci", Strategy.BOUNDARY, 550, Map.of());
        assertThat(chunks.get(0).upperBound()).containsExactly("k0100E");
        assertThat(chunks.get(1).upperBound()).containsExactly("k0200E");
        assertThat(countsPerChunk("text_ci", chunks)).containsExactly(100L, 100L, 100L, 100L, 100L, 50L);
    }

    @Test
    void compositeKeysAreCutColumnByColumn() throws Exception {
        List<ChunkSplit> chunks = assertChunked("composite", Strategy.BOUNDARY, 500, Map.of());
        assertThat(countsPerChunk("composite", chunks)).containsExactly(100L, 100L, 100L, 100L, 100L, 0L);
    }

    @Test
    void aCustomKeyEqualUnderItsCollationKeepsEqualKeysInOneChunk() throws Exception {
        // 26 key values ('ba', 'bA', 'bá' and 'ba ' are one), 16 or 17 rows each: a chunk ends after
        // all rows of its last value, so the next chunk's "> bound" starts at the next value
        List<ChunkSplit> chunks =
                assertChunked("custom_ci", Strategy.BOUNDARY, 430, Map.of(DB + ".custom_ci", List.of("code")));
        assertThat(chunks.size()).isBetween(4, 6);
    }

    @Test
    void quotedIdentifiersWork() throws Exception {
        // 333 keys spread over 999 values: density 1/3, so boundaries are read
        assertChunked("Odd `Table", Strategy.BOUNDARY, 333, Map.of());
    }

    @Test
    void aKeylessTableIsOneChunkReadWhole() throws Exception {
        List<ChunkSplit> chunks = assertChunked("keyless", Strategy.SINGLE_ROW_LOCATION, 250, Map.of());
        assertThat(chunks.get(0).readOrder()).isEqualTo(ChunkSplit.ReadOrder.ROW_LOCATION);
        // Rows carry no location: a checkpoint keeps the chunk without progress, and the restored
        // chunk reads the whole table again from the start.
        SnapshotSourceConfig config = MySqlTestSql.config(url, CHUNK, DB + ".keyless");
        List<SnapshotRow> rows = MySqlTestSql.readRows(config, chunks.get(0));
        assertThat(rows).extracting(SnapshotRow::rowLocation).containsOnlyNulls();
        ChunkSplitState state = new ChunkSplitState(chunks.get(0));
        state.emittedAt(rows.get(99).rowLocation());
        assertThat(seqs(MySqlTestSql.readRows(config, state.toSplit()), schema("keyless", Map.of())))
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 250).boxed().toList());
    }

    @Test
    void anEnumKeyIsNotChunkedButReadWhole() throws Exception {
        // an enum sorts by its number, but compares with a bound as its label
        assertChunked("enum_key", Strategy.SINGLE_ROW_LOCATION, 3, Map.of());
    }

    @Test
    void anEmptyTableIsOneUnboundedChunk() throws Exception {
        List<ChunkSplit> chunks = assertChunked("empty_t", Strategy.SINGLE_KEY, 0, Map.of());
        assertThat(chunks.get(0).lowerBound()).isNull();
        assertThat(chunks.get(0).upperBound()).isNull();
    }

    @Test
    void aCustomKeyWithNullsStopsWithAClearMessage() throws Exception {
        TableSchema schema = schema("null_keyed", Map.of(DB + ".null_keyed", List.of("code")));
        assertThatThrownBy(() -> MySqlTestSql.allChunks(MySqlTestSql.config(url, CHUNK, DB + ".null_keyed"), schema))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining(DB + ".null_keyed")
                .hasMessageContaining("NULL")
                .hasMessageContaining("source.primary-keys");
    }

    @Test
    void aRestoredChunkReadsOnlyTheRowsAfterItsLastKeyInTheServersOrder() throws Exception {
        TableSchema schema = schema("text_ci", Map.of());
        SnapshotSourceConfig config = MySqlTestSql.config(url, CHUNK, DB + ".text_ci");
        // chunk ('k0100E', 'k0200E'], rows up to 'K0151E' emitted: 'k0152E' … 'k0200E' remain, in both cases
        ChunkSplit restored = ChunkSplit.keyRange(schema, 1, false, new Object[] {"k0100E"}, new Object[] {"k0200E"})
                .withProgress(new Object[] {"K0151E"}, null);
        List<Integer> seq = seqs(MySqlTestSql.readRows(config, restored), schema);
        assertThat(seq)
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(152, 200).boxed().toList());
    }

    /**
     * Plans and cuts {@code table}, checks the strategy, reads every chunk and checks that the rows
     * read are each row of the table exactly once, and that chunks of a unique key hold at most twice
     * the chunk size.
     */
    private static List<ChunkSplit> assertChunked(
            String table, Strategy strategy, int rows, Map<String, List<String>> keys) throws Exception {
        TableSchema schema = schema(table, keys);
        SnapshotSourceConfig config = MySqlTestSql.config(url, CHUNK, DB + "." + table);
        ChunkPlanner planner = new ChunkPlanner(CHUNK, MySqlPlannerQueries.INSTANCE);
        try (Connection c = SourceConnections.open(config, "test")) {
            assertThat(planner.plan(c, schema).strategy()).as(table).isEqualTo(strategy);
        }
        List<ChunkSplit> chunks = MySqlTestSql.allChunks(config, schema);
        assertThat(chunks)
                .extracting(ChunkSplit::chunkIndex)
                .containsExactlyElementsOf(
                        IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks.get(0).lowerBound()).isNull();
        assertThat(chunks.get(chunks.size() - 1).upperBound()).isNull();
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).lowerBound()).isEqualTo(chunks.get(i - 1).upperBound());
        }
        List<Integer> seq = new ArrayList<>();
        for (ChunkSplit chunk : chunks) {
            List<Integer> chunkSeq = seqs(MySqlTestSql.readRows(config, chunk), schema);
            if (keys.isEmpty() && (strategy == Strategy.ARITHMETIC || strategy == Strategy.BOUNDARY)) {
                assertThat(chunkSeq.size()).as("rows of %s", chunk).isLessThanOrEqualTo(2 * CHUNK);
            }
            seq.addAll(chunkSeq);
        }
        assertThat(seq)
                .as(table)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, rows).boxed().toList());
        return chunks;
    }

    /** The {@code seq} values of the rows. */
    private static List<Integer> seqs(List<SnapshotRow> rows, TableSchema schema) {
        int seqColumn = schema.indexOf("seq") >= 0 ? schema.indexOf("seq") : schema.indexOf("se q");
        return rows.stream().map(r -> (Integer) r.record().value(seqColumn)).toList();
    }

    /** Rows per chunk, as read. */
    private static List<Long> countsPerChunk(String table, List<ChunkSplit> chunks) throws Exception {
        SnapshotSourceConfig config = MySqlTestSql.config(url, CHUNK, DB + "." + table);
        List<Long> counts = new ArrayList<>();
        for (ChunkSplit chunk : chunks) {
            counts.add((long) MySqlTestSql.readRows(config, chunk).size());
        }
        return counts;
    }

    private static TableSchema schema(String table, Map<String, List<String>> keys) throws SQLException {
        return MySqlTestSql.schema(url, DB + "." + table, keys);
    }

    private static Object bound(Object[] key) {
        return key == null ? null : key[0];
    }
}
