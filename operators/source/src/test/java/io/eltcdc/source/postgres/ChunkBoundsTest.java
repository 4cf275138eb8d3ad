package io.eltcdc.source.postgres;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ColumnReader;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.ChunkSplitReader;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.TestSql;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunk bounds and resume keys of many key types, which enter the COPY statement as literals the
 * server renders: a chunk {@code (k_i, k_j]} reads exactly the rows after row i up to row j in key
 * order, for keys read back the way the planner reads them, however awkward their text.
 */
class ChunkBoundsTest {
    private static String url;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_chunk_bounds");
        exec(
                url,
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                // Ten key parts of awkward types, each with two values picked by one bit of g: every
                // part decides the order of some neighbouring rows, so every literal is compared.
                "CREATE TABLE wide_key (t text, z timestamptz, n numeric(20,5), u uuid, b bytea, d date, f float8,"
                        + " flag bool, c char(5), m mood, seq int NOT NULL,"
                        + " PRIMARY KEY (t, z, n, u, b, d, f, flag, c, m))",
                "INSERT INTO wide_key SELECT"
                        + " (ARRAY['a''b\\c', 'ü😀 E''\\x'])[(g >> 9) % 2 + 1],"
                        + " (ARRAY['0044-03-15 12:00:00.000001+00 BC', '2024-03-31 02:30:00.999999+00'])[(g >> 8) % 2 + 1]::timestamptz,"
                        + " (ARRAY[-1234.56789, 0.00001])[(g >> 7) % 2 + 1],"
                        + " (ARRAY['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'])[(g >> 6) % 2 + 1]::uuid,"
                        + " (ARRAY['\\x', '\\x00ff27'])[(g >> 5) % 2 + 1]::bytea,"
                        + " (ARRAY['4713-01-01 BC', '5874897-12-31'])[(g >> 4) % 2 + 1]::date,"
                        + " (ARRAY['NaN', '5e-324'])[(g >> 3) % 2 + 1]::float8,"
                        + " (g >> 2) % 2 = 0,"
                        + " (ARRAY['a b', ''])[(g >> 1) % 2 + 1],"
                        + " (ARRAY['happy', 'sad'])[g % 2 + 1]::mood,"
                        + " g"
                        + " FROM generate_series(0, 1023) g");
    }

    @Test
    void chunksBetweenAnyTwoKeysReadExactlyTheRowsBetween() throws Exception {
        TableSchema schema = TestSql.schema(url, "public.wide_key");
        List<Object[]> keys = new ArrayList<>();
        List<Integer> seqInKeyOrder = new ArrayList<>();
        readKeysInOrder(schema, keys, seqInKeyOrder);
        int last = keys.size() - 1;
        assertThat(last).isEqualTo(1023);

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
            {5, 700},
            {300, 301},
            {600, last},
            {1022, last}
        };
        for (int[] range : ranges) {
            Object[] lower = range[0] < 0 ? null : keys.get(range[0]);
            Object[] upper = range[1] == last ? null : keys.get(range[1]);
            ChunkSplit chunk = ChunkSplit.keyRange(schema, 0, false, lower, upper);
            assertThat(readSeq(schema, chunk))
                    .as("chunk (%s, %s]", range[0], range[1])
                    .containsExactlyElementsOf(seqInKeyOrder.subList(range[0] + 1, range[1] + 1));
            if (range[1] - range[0] > 2) {
                int resumeAfter = range[0] + 2;
                assertThat(readSeq(schema, chunk.withProgress(keys.get(resumeAfter), null)))
                        .as("chunk (%s, %s] after %s", range[0], range[1], resumeAfter)
                        .containsExactlyElementsOf(seqInKeyOrder.subList(resumeAfter + 1, range[1] + 1));
            }
        }
    }

    /** The key of every row in key order, read as the planner reads keys (text JDBC, {@link ColumnReader}). */
    private static void readKeysInOrder(TableSchema schema, List<Object[]> keys, List<Integer> seq)
            throws SQLException {
        SnapshotSourceConfig config = TestSql.config(url, 100, "public.wide_key");
        try (Connection c = SourceConnections.open(config, "test");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + SqlIdentifiers.list(schema.keyColumns())
                        + ", seq FROM wide_key ORDER BY " + PostgresChunkQueries.keyOrder(schema, false))) {
            while (rs.next()) {
                Object[] key = new Object[schema.keyColumns().size()];
                for (int part = 0; part < key.length; part++) {
                    key[part] = ColumnReader.of(
                                    schema.columns().get(schema.keyIndex(part)).type())
                            .read(rs, part + 1);
                }
                keys.add(key);
                seq.add(rs.getInt(key.length + 1));
            }
        }
    }

    private static List<Integer> readSeq(TableSchema schema, ChunkSplit split) throws Exception {
        int seqColumn = schema.indexOf("seq");
        List<Integer> seq = new ArrayList<>();
        try (ChunkSplitReader reader = new ChunkSplitReader(TestSql.config(url, 100, "public.wide_key"))) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            while (true) {
                RecordsWithSplitIds<SnapshotRow> batch = reader.fetch();
                while (batch.nextSplit() != null) {
                    SnapshotRow row;
                    while ((row = batch.nextRecordFromSplit()) != null) {
                        seq.add((Integer) row.record().value(seqColumn));
                    }
                }
                if (batch.finishedSplits().contains(split.splitId())) {
                    return seq;
                }
            }
        }
    }
}
