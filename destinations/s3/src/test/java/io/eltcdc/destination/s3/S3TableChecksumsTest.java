package io.eltcdc.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.CanonicalRows;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verify's checksums of the S3 destination, on S3Proxy and on a local folder: the manifests' history
 * replayed (latest record per key by position, whatever the batch order; a key whose last record is a
 * DELETE is no row; an unsent column keeps its earlier value; a column the older files lack is NULL)
 * gives the count and checksum of exactly the rows the source holds, per key range.
 */
class S3TableChecksumsTest {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final TableId ALL = new TableId("shop", "all_types");

    @TempDir
    static Path shared;

    @TempDir
    Path local;

    static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start(Files.createDirectories(shared.resolve("s3")));
        s3.createBucket("vfy2-lake");
        assertThat(StagingFileSystems.initialize(s3.flinkConfiguration()))
                .as("S3 plugin found")
                .isTrue();
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private String root(String kind) throws Exception {
        int run = RUN.incrementAndGet();
        return kind.equals("s3")
                ? "s3://vfy2-lake/run-" + run
                : "file://" + Files.createDirectories(local.resolve("lake-" + run));
    }

    private void load(S3Destination destination, TableSchema schema, String batch, Row... rows) throws Exception {
        destination.load(new LoadBatch(
                "p",
                schema.id(),
                batch,
                List.of(StagedFiles.write(Files.createDirectories(local.resolve("staged")), schema, List.of(rows)))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void replaysTheHistoryToTheCurrentRows(String kind) throws Exception {
        TableSchema table = AllTypes.table(ALL);
        List<Object[]> rows = AllTypes.rows();
        S3Destination destination = new S3Destination(root(kind));
        TableChecksums checksums = destination.checksums().orElseThrow();
        assertThat(checksums.checksum(table, KeyRange.ALL)).isEqualTo(RangeChecksum.EMPTY);

        int cInt = table.indexOf("c_int");
        int cText = table.indexOf("c_text");
        List<Row> snapshot = new ArrayList<>();
        for (Object[] row : rows) {
            snapshot.add(Row.of(Op.READ, 10, row));
        }
        load(destination, table, "b1", snapshot.toArray(Row[]::new));
        // row 1's c_int changes; row 2 changes c_int and does not send c_text (kept from before); row 4 goes
        Object[] one = rows.get(0).clone();
        one[cInt] = 7;
        Object[] two = rows.get(1).clone();
        two[cInt] = 8;
        Object[] twoSent = two.clone();
        twoSent[cText] = null;
        load(
                destination,
                table,
                "b2",
                Row.of(Op.UPDATE, 20, one),
                Row.update(21, new int[] {cText}, twoSent),
                Row.of(Op.DELETE, 22, keyOnly(table, rows.get(3))));
        // delivered late, an older record of row 1 and a DELETE of row 3 older than its snapshot row change nothing
        Object[] stale = rows.get(0).clone();
        stale[cInt] = -1;
        load(destination, table, "b3", Row.of(Op.UPDATE, 15, stale), Row.of(Op.DELETE, 5, keyOnly(table, rows.get(2))));

        List<Object[]> current = List.of(one, two, rows.get(2), rows.get(4));
        assertThat(checksums.checksum(table, KeyRange.ALL)).isEqualTo(sum(table, current));
        KeyRange oneToFour = new KeyRange(new Object[] {1L}, new Object[] {4L});
        assertThat(checksums.checksum(table, oneToFour)).isEqualTo(sum(table, List.of(two, rows.get(2))));
        assertThat(checksums.rowHashes(table, KeyRange.ALL, 3))
                .containsExactly(hash(table, one), hash(table, two), hash(table, rows.get(2)));
    }

    @Test
    void aColumnAddedLaterIsNullInTheOlderRows() throws Exception {
        TableSchema v1 = new TableSchema(
                new TableId("shop", "items"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("name", ColumnType.STRING)),
                List.of("id"));
        TableSchema v2 = new TableSchema(
                v1.id(),
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("name", ColumnType.STRING),
                        Column.of("qty", ColumnType.INT64)),
                List.of("id"));
        S3Destination destination = new S3Destination(root("file"));
        load(destination, v1, "b1", Row.of(Op.READ, 1, 1, "a"), Row.of(Op.READ, 1, 2, "b"));
        load(destination, v2, "b2", Row.of(Op.UPDATE, 5, 2, "b", 9L), Row.of(Op.INSERT, 6, 3, "c", 1L));
        assertThat(destination.checksums().orElseThrow().checksum(v2, KeyRange.ALL))
                .isEqualTo(
                        sum(v2, List.of(new Object[] {1, "a", null}, new Object[] {2, "b", 9L}, new Object[] {3, "c", 1L
                        })));
    }

    @Test
    void aTableWithoutKeyIsNotCompared() throws Exception {
        TableSchema log =
                new TableSchema(new TableId("shop", "log"), List.of(Column.of("line", ColumnType.STRING)), List.of());
        S3Destination destination = new S3Destination(root("file"));
        load(destination, log, "b1", Row.of(Op.INSERT, 1, "x"));
        assertThatThrownBy(() -> destination.checksums().orElseThrow().checksum(log, KeyRange.ALL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shop.log in S3 destination")
                .hasMessageContaining("a table without a key");
    }

    private static Object[] keyOnly(TableSchema table, Object[] row) {
        Object[] key = new Object[row.length];
        key[table.indexOf("id")] = row[table.indexOf("id")];
        return key;
    }

    private static RangeChecksum sum(TableSchema table, List<Object[]> rows) {
        long sum = 0;
        for (Object[] row : rows) {
            sum += CanonicalRows.rowHash(table, row);
        }
        return new RangeChecksum(rows.size(), sum);
    }

    private static RowHash hash(TableSchema table, Object[] row) {
        return new RowHash(CanonicalRows.keyText(table, row), CanonicalRows.rowHash(table, row));
    }
}
