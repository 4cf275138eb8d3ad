package io.eltcdc.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.testing.TestMySql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunk bounds and resume keys of every key type MySQL chunks by, bound back as parameters: a chunk
 * {@code (k_i, k_j]} reads exactly the rows after row i up to row j in the server's key order, for
 * keys read the way the planner reads them.
 */
class MySqlChunkBoundsTest {
    private static final String TABLE = "src_mysql_bounds.wide_key";
    private static String url;
    private static TimeZone jvmZone;

    @BeforeAll
    static void createTable() throws SQLException {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu")); // +05:45: any shift through the JVM shows
        url = TestMySql.createDatabase("src_mysql_bounds");
        // Eleven key parts of awkward types, each with two values picked by one bit of g: every part
        // decides the order of some neighbouring rows, so every bound of every type is compared.
        String[][] parts = {
            {"t varchar(10) COLLATE utf8mb4_general_ci", "'a'", "'B'"}, // 'B' < 'a' in binary, not here
            {
                "ts timestamp(6) NOT NULL DEFAULT '1970-01-01 00:00:01'",
                "'1970-01-01 00:00:01.000001'",
                "'2038-01-19 03:14:07.999999'"
            },
            {"n decimal(20,5)", "-1234.56789", "0.00001"},
            {"b varbinary(4)", "x''", "x'00ff27'"},
            {"d date", "'1000-01-01'", "'9999-12-31'"},
            {"f double", "-1.5e300", "2.2250738585072014e-308"},
            {"fl float", "1.2345678", "-0.1"},
            {"tm time(6)", "'00:00:00'", "'23:59:59.999999'"},
            {"bits bit(3)", "5", "2"},
            {"u bigint unsigned", "0", "18446744073709551615"},
            {"dt datetime(6)", "'9999-12-31 23:59:59.999999'", "'1000-01-01 00:00:00'"},
        };
        StringBuilder create = new StringBuilder("CREATE TABLE wide_key (");
        StringBuilder select = new StringBuilder("SELECT ");
        List<String> names = new ArrayList<>();
        for (int p = 0; p < parts.length; p++) {
            create.append(parts[p][0]).append(", ");
            names.add(parts[p][0].substring(0, parts[p][0].indexOf(' ')));
            select.append("IF(((n - 1) >> ")
                    .append(parts.length - 1 - p)
                    .append(") & 1, ")
                    .append(parts[p][2])
                    .append(", ")
                    .append(parts[p][1])
                    .append("), ");
        }
        create.append("seq int NOT NULL, PRIMARY KEY (")
                .append(String.join(", ", names))
                .append("))");
        select.append("n FROM ").append(MySqlTestSql.numbers(1 << parts.length));
        try (Connection c = TestMySql.connect(url);
                Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            s.execute(create.toString());
            s.execute("INSERT INTO wide_key " + select);
        }
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(jvmZone);
    }

    @Test
    void chunksBetweenAnyTwoKeysReadExactlyTheRowsBetween() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, TABLE);
        List<Object[]> keys = new ArrayList<>();
        List<Integer> seqInKeyOrder = new ArrayList<>();
        readKeysInOrder(schema, keys, seqInKeyOrder);
        int last = keys.size() - 1;
        assertThat(last).isEqualTo(2047);

        int[][] ranges = {
            {-1, last},
            {-1, 0},
            {0, 1},
            {1, 2},
            {2, 3},
            {3, 4},
            {7, 8},
            {15, 16},
            {31, 32},
            {63, 64},
            {127, 128},
            {255, 256},
            {511, 512},
            {1023, 1024},
            {5, 700},
            {300, 301},
            {1500, last},
            {2046, last}
        };
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, TABLE);
        for (int[] range : ranges) {
            Object[] lower = range[0] < 0 ? null : keys.get(range[0]);
            Object[] upper = range[1] == last ? null : keys.get(range[1]);
            ChunkSplit chunk = ChunkSplit.keyRange(schema, 0, false, lower, upper);
            assertThat(readSeq(config, schema, chunk))
                    .as("chunk (%s, %s]", range[0], range[1])
                    .containsExactlyElementsOf(seqInKeyOrder.subList(range[0] + 1, range[1] + 1));
            if (range[1] - range[0] > 2) {
                int resumeAfter = range[0] + 2;
                assertThat(readSeq(config, schema, chunk.withProgress(keys.get(resumeAfter), null)))
                        .as("chunk (%s, %s] after %s", range[0], range[1], resumeAfter)
                        .containsExactlyElementsOf(seqInKeyOrder.subList(resumeAfter + 1, range[1] + 1));
            }
        }
    }

    @Test
    void theWholeTableIsCutIntoChunksThatReadEveryRowOnce() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, TABLE);
        SnapshotSourceConfig config = MySqlTestSql.config(url, 300, TABLE);
        List<Integer> seq = new ArrayList<>();
        for (ChunkSplit chunk : MySqlTestSql.allChunks(config, schema)) {
            seq.addAll(readSeq(config, schema, chunk));
        }
        assertThat(seq)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 2048).boxed().toList());
    }

    /** The key of every row in the server's key order, read as the planner reads keys, and the rows' seq. */
    private static void readKeysInOrder(TableSchema schema, List<Object[]> keys, List<Integer> seq)
            throws SQLException {
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, TABLE);
        try (Connection c = SourceConnections.open(config, "test");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + MySqlQueries.selectKey(schema) + ", seq FROM "
                        + MySqlQueries.table(schema) + " ORDER BY " + MySqlQueries.keyOrder(schema, false))) {
            while (rs.next()) {
                keys.add(MySqlPlannerQueries.INSTANCE.readKey(rs, schema));
                seq.add(rs.getInt(schema.keyColumns().size() + 1));
            }
        }
    }

    private static List<Integer> readSeq(SnapshotSourceConfig config, TableSchema schema, ChunkSplit split)
            throws Exception {
        int seqColumn = schema.indexOf("seq");
        return MySqlTestSql.readRows(config, split).stream()
                .map(r -> (Integer) r.record().value(seqColumn))
                .toList();
    }
}
