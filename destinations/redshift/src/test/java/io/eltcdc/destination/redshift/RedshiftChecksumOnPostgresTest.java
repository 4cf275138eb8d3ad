package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.postgres.PostgresDestination;
import io.eltcdc.destination.sql.JdbcTableChecksums;
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
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verify's row hash in Redshift's SQL ({@link RedshiftChecksumSql}) run on the local PostgreSQL, as
 * the Redshift load's tests run it ({@link RedshiftSpelling}, with stand-ins for {@code STRTOL},
 * {@code DLOG10} and {@code DATEDIFF}): over rows of every type (ordinary, extreme, NaN, infinite,
 * NULL), the Redshift target's counts and checksums equal the PostgreSQL destination's for the same
 * rows, and both equal the hash computed in Java ({@link CanonicalRows}, the S3 destination's), whole
 * table and key range, row hashes too.
 */
class RedshiftChecksumOnPostgresTest {
    private static String url;

    @TempDir
    Path files;

    @TempDir
    Path loadFiles;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestPostgres.createDatabase("vfy2_redshift_checksum");
        try (Connection c = TestPostgres.connect(url)) {
            RedshiftSpelling.createStandIns(c);
        }
    }

    @Test
    void redshiftHashesEveryTypeAsPostgresAndJavaDo() throws Exception {
        TableSchema all = AllTypes.table(new TableId("Vfy2", "AllTypes"));
        // PostgreSQL keeps JSON as jsonb (another canonical form): compare it without the JSON column
        List<Column> columns = new ArrayList<>(all.columns());
        int json = all.indexOf("c_json");
        columns.remove(json);
        TableSchema table = new TableSchema(new TableId("vfy2", "no_json"), columns, all.keyColumns());
        List<Object[]> values = new ArrayList<>();
        for (Object[] row : rows()) {
            List<Object> v = new ArrayList<>(Arrays.asList(row));
            v.remove(json);
            values.add(v.toArray());
        }
        List<Row> rows = values.stream().map(v -> Row.of(Op.INSERT, 1, v)).toList();

        try (PostgresAsRedshift redshift = new PostgresAsRedshift(
                        url, loadFiles.toUri().toString(), null, DeleteMode.HARD, LongStrings.FAIL);
                PostgresDestination postgres = new PostgresDestination(url, null, null, "copy_of_pg")) {
            LoadBatch batch = new LoadBatch("p", table.id(), "b1", List.of(StagedFiles.write(files, table, rows)));
            redshift.load(batch);
            postgres.load(batch);
            TableChecksums onRedshift = checksums();
            TableChecksums onPostgres = postgres.checksums().orElseThrow();

            RangeChecksum expected = javaChecksum(table, values);
            assertThat(expected.rows()).isEqualTo(5);
            assertThat(onRedshift.checksum(table, KeyRange.ALL)).isEqualTo(expected);
            assertThat(onPostgres.checksum(table, KeyRange.ALL)).isEqualTo(expected);

            KeyRange twoToFour = new KeyRange(new Object[] {1L}, new Object[] {4L});
            RangeChecksum range = javaChecksum(table, values.subList(1, 4));
            assertThat(onRedshift.checksum(table, twoToFour)).isEqualTo(range);
            assertThat(onPostgres.checksum(table, twoToFour)).isEqualTo(range);

            List<RowHash> hashes = onRedshift.rowHashes(table, KeyRange.ALL, 10);
            assertThat(hashes).isEqualTo(onPostgres.rowHashes(table, KeyRange.ALL, 10));
            assertThat(hashes.get(1))
                    .isEqualTo(new RowHash(
                            CanonicalRows.keyText(table, values.get(1)), CanonicalRows.rowHash(table, values.get(1))));
        }
    }

    @Test
    void jsonIsHashedAsWritten() throws Exception {
        TableSchema all = AllTypes.table(new TableId("Vfy2", "AllTypes"));
        List<Object[]> values = rows();
        List<Row> rows = values.stream().map(v -> Row.of(Op.INSERT, 1, v)).toList();
        try (PostgresAsRedshift redshift =
                new PostgresAsRedshift(url, loadFiles.toUri().toString(), null, DeleteMode.HARD, LongStrings.FAIL)) {
            redshift.load(new LoadBatch("p", all.id(), "b1", List.of(StagedFiles.write(files, all, rows))));
            assertThat(checksums().checksum(all, KeyRange.ALL)).isEqualTo(javaChecksum(all, values));
        }
    }

    @Test
    void aDeletedRowIsNoRowAndAMissingTableHasNone() throws Exception {
        TableSchema table = new TableSchema(
                new TableId("vfy2", "Gone"),
                List.of(Column.of("Id", ColumnType.INT32), Column.of("Name", ColumnType.STRING)),
                List.of("Id"));
        assertThat(checksums().checksum(table, KeyRange.ALL)).isEqualTo(RangeChecksum.EMPTY);
        try (PostgresAsRedshift redshift =
                new PostgresAsRedshift(url, loadFiles.toUri().toString(), null, DeleteMode.HARD, LongStrings.FAIL)) {
            redshift.load(new LoadBatch(
                    "p",
                    table.id(),
                    "b1",
                    List.of(StagedFiles.write(
                            files, table, List.of(Row.of(Op.INSERT, 1, 1, "a"), Row.of(Op.INSERT, 1, 2, "b"))))));
            redshift.load(new LoadBatch(
                    "p",
                    table.id(),
                    "b2",
                    List.of(StagedFiles.write(files, table, List.of(Row.of(Op.DELETE, 2, 1, null))))));
        }
        assertThat(checksums().checksum(table, KeyRange.ALL))
                .isEqualTo(javaChecksum(table, List.<Object[]>of(new Object[] {2, "b"})));
    }

    /**
     * {@link AllTypes#rows()}, but {@code Double.MIN_VALUE} as {@code 1e-300}: the float text's
     * {@code POWER(10, exponent - 11)} underflows below about 1e-297, which PostgreSQL refuses with an
     * error (on every side that spells it so: the PostgreSQL source and destination too).
     */
    private static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : AllTypes.rows()) {
            Object[] copy = row.clone();
            if (Double.valueOf(Double.MIN_VALUE).equals(copy[4])) {
                copy[4] = 1e-300;
            }
            rows.add(copy);
        }
        return rows;
    }

    private static TableChecksums checksums() {
        return new JdbcTableChecksums(
                PostgresAsRedshift.NAME,
                new RedshiftChecksumSql.Dialect(),
                () -> PostgresAsRedshift.spelled(url),
                null,
                null);
    }

    private static RangeChecksum javaChecksum(TableSchema table, List<Object[]> rows) {
        long sum = 0;
        for (Object[] row : rows) {
            sum += CanonicalRows.rowHash(table, row);
        }
        return new RangeChecksum(rows.size(), sum);
    }
}
