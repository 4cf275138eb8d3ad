package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load files, their manifest and the COPY, offline: an in-memory store and a connection that records. */
class LoadFilesTest {
    private static final String FOLDER = "s3://bucket/staging/_redshift/p/src.all_types/b1";

    @TempDir
    Path staged;

    private final MemoryStore store = new MemoryStore();

    @Test
    void everyTypeTravelsInAFormRedshiftCasts() throws Exception {
        TableSchema schema = AllTypes.table(new TableId("src", "all_types"));
        BigInteger big = BigInteger.ONE.shiftLeft(126).subtract(BigInteger.ONE);
        List<Row> rows = new ArrayList<>();
        for (Object[] values : AllTypes.rows()) {
            rows.add(new Row(Op.INSERT, Position.of(big.subtract(BigInteger.valueOf((Long) values[0]))), values));
        }
        LoadFileWriter.Written written = write(schema, rows, LongStrings.FAIL);

        assertThat(written.files()).containsExactly(FOLDER + "/part-0-00000.avro");
        assertThat(written.rows().rows()).isEqualTo(5);
        assertThat(written.rows().keysDistinct()).isTrue();
        List<GenericRecord> records = read(written.files().get(0));
        GenericRecord first = records.get(0);
        assertThat(first.getSchema().getFields().stream().map(f -> f.name()).toList())
                .startsWith("c0", "c1", "c2")
                .endsWith("_elt_op", "_elt_position", "_elt_unchanged", "_elt_truncated");
        assertThat(text(first, 0)).isEqualTo("1");
        assertThat(first.get(1)).isEqualTo(42);
        assertThat(first.get(3)).isEqualTo(1.5f);
        assertThat(text(first, 6)).isEqualTo("12345.678900000000"); // c_decimal
        assertThat(text(first, 13)).isEqualTo("2024-02-29"); // c_date
        assertThat(text(first, 14)).isEqualTo("13:14:15.123456"); // c_time
        assertThat(text(first, 15)).isEqualTo("2024-03-31 02:30:00.000001"); // c_ts
        assertThat(text(first, 16)).isEqualTo("2024-03-31 01:30:00.000001+00"); // c_tstz
        assertThat(text(first, 17)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThat(text(first, 19)).isEqualTo("010203"); // c_bytes as hex
        assertThat(first.get("_elt_op").toString()).isEqualTo("INSERT");
        assertThat(first.get("_elt_position").toString())
                .isEqualTo(big.subtract(BigInteger.ONE).toString());
        assertThat(first.get("_elt_unchanged")).isNull();
        assertThat(first.get("_elt_truncated")).isNull();
        assertThat(text(records.get(2), 7)).isEqualTo("-99999999999999999999999999999999999999");
        assertThat(text(records.get(2), 19)).isEmpty();
        GenericRecord nulls = records.get(4);
        for (int i = 1; i < schema.columns().size(); i++) {
            assertThat(nulls.get(i)).as("column %d", i).isNull();
        }
    }

    @Test
    void manifestListsTheFilesAndCopyReadsIt() throws Exception {
        TableSchema schema = items();
        LoadFileWriter.Written written = write(schema, List.of(Row.of(Op.INSERT, 1, 1, "one")), LongStrings.FAIL);
        Recording connection = new Recording(null);
        CopySql copy = new CopySql(new CopyCredentials.IamRole("arn:aws:iam::1:role/r"), null);

        new CopyFromManifest(store, copy).load(connection.proxy(), FOLDER, 0, written.files());

        assertThat(store.text(FOLDER + "/part-0.manifest"))
                .isEqualTo(
                        "{\"entries\":[{\"url\":\"s3://bucket/staging/_redshift/p/src.all_types/b1/part-0-00000.avro\","
                                + "\"mandatory\":true}]}");
        assertThat(connection.statements)
                .containsExactly("COPY \"_elt_raw\" FROM"
                        + " 's3://bucket/staging/_redshift/p/src.all_types/b1/part-0.manifest' IAM_ROLE 'arn:aws:iam::1:role/r'"
                        + " FORMAT AS AVRO 'auto' MANIFEST COMPUPDATE OFF STATUPDATE OFF");
        assertThat(CopyManifest.json(List.of("s3a://b/k1", "s3://b/k2")))
                .isEqualTo(
                        "{\"entries\":[{\"url\":\"s3://b/k1\",\"mandatory\":true},{\"url\":\"s3://b/k2\",\"mandatory\":true}]}");
    }

    @Test
    void aFailedCopyNamesTheStatementWithoutTheSecret() throws Exception {
        Recording failing = new Recording(new SQLException("S3 access denied for key secret-value", "XX000"));
        CopySql copy = new CopySql(new CopyCredentials.AccessKeys("AKIAEXAMPLE", "secret-value", null), null);
        assertThatThrownBy(() ->
                        new CopyFromManifest(store, copy).load(failing.proxy(), FOLDER, 0, List.of(FOLDER + "/x.avro")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("S3 access denied for key ******")
                .hasMessageContaining("SECRET_ACCESS_KEY '****'")
                .hasMessageContaining("STL_LOAD_ERRORS")
                .hasMessageNotContaining("secret-value")
                .hasNoCause();
    }

    @Test
    void longStringsFailOrAreTruncatedAndCounted() throws Exception {
        TableSchema schema = items();
        String tooLong = "é".repeat(RedshiftTypes.MAX_VARCHAR_BYTES / 2 + 1); // 2 bytes each: 65536 bytes
        List<Row> rows = List.of(Row.of(Op.INSERT, 1, 1, tooLong), Row.of(Op.INSERT, 2, 2, "short"));

        assertThatThrownBy(() -> write(schema, rows, LongStrings.FAIL))
                .hasMessageContaining("column name of shop.items holds 65536 bytes of UTF-8 in row 1")
                .hasMessageContaining("Redshift takes at most 65535 bytes");

        LoadFileWriter.Written written = write(schema, rows, LongStrings.TRUNCATE);
        assertThat(written.truncatedByColumn()).containsExactly(Map.entry("name", 1L));
        List<GenericRecord> records = read(written.files().get(0));
        assertThat(text(records.get(0), 1).getBytes(StandardCharsets.UTF_8))
                .hasSize(RedshiftTypes.MAX_VARCHAR_BYTES - 1);
        assertThat(records.get(0).get("_elt_truncated")).isEqualTo(true);
        assertThat(records.get(1).get("_elt_truncated")).isNull();
    }

    @Test
    void longBytesFailOrAreTruncated() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("shop", "blobs"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("data", ColumnType.BYTES)),
                List.of("id"));
        List<Row> rows = List.<Row>of(Row.of(Op.INSERT, 1, 1, new byte[RedshiftTypes.MAX_BYTES + 1]));
        assertThatThrownBy(() -> write(schema, rows, LongStrings.FAIL)).hasMessageContaining("32768 bytes");
        LoadFileWriter.Written written = write(schema, rows, LongStrings.TRUNCATE);
        assertThat(text(read(written.files().get(0)).get(0), 1)).hasSize(2 * RedshiftTypes.MAX_BYTES);
    }

    @Test
    void unsentColumnsTravelAsBatchIndexes() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("shop", "docs"),
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("a", ColumnType.STRING),
                        Column.of("b", ColumnType.STRING)),
                List.of("id"));
        LoadFileWriter.Written written =
                write(schema, List.of(Row.update(3, new int[] {2}, 1, "x", null)), LongStrings.FAIL);
        assertThat(written.rows().unchangedColumns()).containsExactly(2);
        assertThat(read(written.files().get(0)).get(0).get("_elt_unchanged").toString())
                .isEqualTo(",2,");
    }

    @Test
    void folderNamesAreSafeAndFixed() {
        assertThat(LoadFolderNames.segment("shop.items")).isEqualTo("shop.items");
        assertThat(LoadFolderNames.segment("odd schema.order items"))
                .startsWith("odd_schema.order_items-")
                .hasSize(31);
        assertThat(LoadFolderNames.segment("a/b")).isNotEqualTo(LoadFolderNames.segment("a?b"));
        assertThat(LoadFolderNames.segment("..")).startsWith("..-");
    }

    private static TableSchema items() {
        return new TableSchema(
                new TableId("shop", "items"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("name", ColumnType.STRING)),
                List.of("id"));
    }

    private LoadFileWriter.Written write(TableSchema schema, List<Row> rows, LongStrings longStrings) throws Exception {
        try (StagedFileReader file = StagedFileReader.open(StagedFiles.write(staged, schema, rows))) {
            return new LoadFileWriter(store, longStrings)
                    .write(FOLDER, 0, BatchColumns.of(schema.id(), List.of(schema)), List.of(file));
        }
    }

    private List<GenericRecord> read(String uri) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileStream<GenericRecord> in =
                new DataFileStream<>(new ByteArrayInputStream(store.files.get(uri)), new GenericDatumReader<>())) {
            in.forEach(records::add);
        }
        return records;
    }

    private static String text(GenericRecord record, int field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }

    /** Load files in memory. */
    static final class MemoryStore implements LoadFileStore {
        final Map<String, byte[]> files = new LinkedHashMap<>();

        @Override
        public OutputStream create(String uri) {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    files.put(uri, toByteArray());
                }
            };
        }

        @Override
        public void deleteFolder(String uri) {
            files.keySet().removeIf(k -> k.startsWith(uri + "/"));
        }

        String text(String uri) {
            return new String(files.get(uri), StandardCharsets.UTF_8);
        }
    }

    /** A connection whose statements record their SQL (and fail with {@code failure} when set). */
    static final class Recording {
        final List<String> statements = new ArrayList<>();
        private final SQLException failure;

        Recording(SQLException failure) {
            this.failure = failure;
        }

        Connection proxy() {
            Statement statement = (Statement) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Statement.class}, (p, method, args) -> {
                        if (method.getName().equals("execute")) {
                            statements.add((String) args[0]);
                            if (failure != null) {
                                throw failure;
                            }
                            return false;
                        }
                        return null;
                    });
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (p, method, args) -> method.getName().equals("createStatement") ? statement : null);
        }
    }
}
