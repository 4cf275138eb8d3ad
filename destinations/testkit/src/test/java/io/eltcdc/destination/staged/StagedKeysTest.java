package io.eltcdc.destination.staged;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedKeysTest {
    private static final TableId ID = new TableId("s", "t");

    @TempDir
    Path dir;

    @Test
    void distinctIntegerKeysWithTheirRange() throws IOException {
        StagedRows rows = stage(
                schema(Column.of("k", ColumnType.INT64)),
                List.of(Row.of(Op.READ, 1, 5L), Row.of(Op.READ, 1, -3L), Row.of(Op.READ, 1, 40L)));
        assertThat(rows).isEqualTo(new StagedRows(3, true, false, true, new StagedRows.KeyRange(-3, 40)));
    }

    @Test
    void repeatedKeyAndDeletes() throws IOException {
        StagedRows rows = stage(
                schema(Column.of("k", ColumnType.INT32)), List.of(Row.of(Op.INSERT, 1, 5), Row.of(Op.DELETE, 2, 5)));
        assertThat(rows.keysDistinct()).isFalse();
        assertThat(rows.hasDeletes()).isTrue();
        assertThat(rows.onlyReads()).isFalse();
    }

    @Test
    void keysCompareAsSqlDoes() throws IOException {
        assertThat(distinct(Column.of("k", ColumnType.FLOAT64), 0.0, -0.0)).isFalse();
        assertThat(distinct(Column.of("k", ColumnType.FLOAT64), 0.5, 1.5)).isTrue();
        assertThat(distinct(Column.of("k", ColumnType.STRING), "a", "A")).isTrue();
        assertThat(distinct(Column.of("k", ColumnType.STRING), "ü", "ü")).isFalse();
        assertThat(distinct(Column.decimal("k", 38, 2), new BigDecimal("1.00"), new BigDecimal("1.00")))
                .isFalse();
        assertThat(distinct(Column.decimal("k", 38, 2), new BigDecimal("-1.00"), new BigDecimal("1.00")))
                .isTrue();
        UUID uuid = UUID.randomUUID();
        assertThat(distinct(Column.of("k", ColumnType.UUID), uuid, uuid)).isFalse();
        // Whose SQL equality is not byte equality: never claimed distinct.
        assertThat(distinct(Column.of("k", ColumnType.JSON), "{}", "[]")).isFalse();
        assertThat(distinct(Column.of("k", ColumnType.DECIMAL_TEXT), "1.0", "1.00"))
                .isFalse();
    }

    @Test
    void compositeKeyAcrossFiles() throws IOException {
        TableSchema schema = new TableSchema(
                ID,
                List.of(
                        Column.of("a", ColumnType.STRING),
                        Column.of("b", ColumnType.INT64),
                        Column.of("v", ColumnType.INT32)),
                List.of("a", "b"));
        StagedFile first =
                StagedFiles.write(dir, schema, List.of(Row.of(Op.READ, 1, "x", 1L, 1), Row.of(Op.READ, 1, "x", 2L, 1)));
        StagedFile second = StagedFiles.write(dir, schema, List.of(Row.of(Op.READ, 1, "y", 1L, 1)));
        StagedFile again = StagedFiles.write(dir, schema, List.of(Row.of(Op.UPDATE, 2, "x", 2L, 7)));
        StagedRows distinct = stage(schema, first, second);
        assertThat(distinct.keysDistinct()).isTrue();
        assertThat(distinct.keyRange()).isNull();
        assertThat(stage(schema, first, second, again).keysDistinct()).isFalse();
    }

    @Test
    void manyKeys() throws IOException {
        TableSchema schema = schema(Column.of("k", ColumnType.STRING));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            rows.add(Row.of(Op.READ, 1, "key " + i));
        }
        assertThat(stage(schema, rows).keysDistinct()).isTrue();
        rows.add(Row.of(Op.READ, 1, "key 77777"));
        assertThat(stage(schema, rows).keysDistinct()).isFalse();
    }

    private boolean distinct(Column key, Object a, Object b) throws IOException {
        return stage(schema(key), List.of(Row.of(Op.READ, 1, a), Row.of(Op.READ, 1, b)))
                .keysDistinct();
    }

    @Test
    void unchangedColumnsInTheBatchsColumnOrderAcrossSchemaVersions() throws IOException {
        TableSchema v1 = new TableSchema(
                ID,
                List.of(
                        Column.of("id", ColumnType.INT64),
                        Column.of("a", ColumnType.STRING),
                        Column.of("b", ColumnType.STRING)),
                List.of("id"));
        TableSchema v2 = new TableSchema(
                ID,
                List.of(
                        Column.of("id", ColumnType.INT64),
                        Column.of("x", ColumnType.STRING),
                        Column.of("a", ColumnType.STRING),
                        Column.of("b", ColumnType.STRING)),
                List.of("id"));
        BatchColumns batch = BatchColumns.of(ID, List.of(v1, v2)); // id, a, b, x
        StagedFile first = StagedFiles.write(
                dir, v1, List.of(Row.of(Op.INSERT, 1, 1L, "a", "b"), Row.update(2, new int[] {2}, 1L, "a2", null)));
        StagedFile second = StagedFiles.write(
                dir,
                v2,
                List.of(
                        Row.update(3, new int[] {1, 3}, 1L, null, "a3", null),
                        Row.of(Op.UPDATE, 4, 2L, "x", "a", "b")));

        StagedKeys keys = new StagedKeys(batch);
        List<String> texts = new ArrayList<>();
        long n = 0;
        for (StagedFile file : List.of(first, second)) {
            try (StagedFileReader reader = StagedFileReader.open(file)) {
                keys.startFile(reader);
                while (reader.next()) {
                    texts.add(keys.unchangedText(reader));
                    keys.add(reader);
                    n++;
                }
            }
        }

        assertThat(texts).containsExactly(null, ",2,", ",2,3,", null);
        StagedRows rows = keys.result(n);
        assertThat(rows.unchangedColumns()).containsExactly(2, 3);
        assertThat(rows.hasUnchangedColumns()).isTrue();
        assertThat(rows.keysDistinct()).isFalse();
    }

    private static TableSchema schema(Column key) {
        return new TableSchema(ID, List.of(key), List.of(key.name()));
    }

    private StagedRows stage(TableSchema schema, List<Row> rows) throws IOException {
        return stage(schema, StagedFiles.write(dir, schema, rows));
    }

    private static StagedRows stage(TableSchema schema, StagedFile... files) throws IOException {
        StagedKeys keys = new StagedKeys(BatchColumns.of(schema.id(), List.of(schema)));
        long n = 0;
        for (StagedFile file : files) {
            try (StagedFileReader reader = StagedFileReader.open(file)) {
                keys.startFile(reader);
                while (reader.next()) {
                    keys.add(reader);
                    n++;
                }
            }
        }
        return keys.result(n);
    }
}
