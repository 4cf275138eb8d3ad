package io.eltcdc.destination.staged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.destination.testkit.TargetRows;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsSchemaOpsPositionsAndValues() throws IOException {
        TableSchema schema = AllTypes.table(new TableId("Some Schema", "all.types"));
        List<Row> rows = new ArrayList<>();
        List<Position> positions = List.of(
                Position.SNAPSHOT,
                new Position(0, -1L),
                new Position((1L << 62) - 1, -1L),
                new Position(7, 3),
                new Position(1, 0));
        List<Op> ops = List.of(Op.READ, Op.INSERT, Op.UPDATE, Op.DELETE, Op.INSERT);
        for (int i = 0; i < AllTypes.rows().size(); i++) {
            rows.add(new Row(ops.get(i), positions.get(i), AllTypes.rows().get(i)));
        }
        StagedFile file = StagedFiles.write(dir, schema, rows);

        List<Object[]> values = new ArrayList<>();
        try (StagedFileReader reader = StagedFileReader.open(file)) {
            assertThat(reader.schema()).isEqualTo(schema);
            for (int i = 0; reader.next(); i++) {
                assertThat(reader.op()).isEqualTo(ops.get(i));
                assertThat(reader.isDelete()).isEqualTo(ops.get(i) == Op.DELETE);
                assertThat(reader.position()).isEqualTo(positions.get(i));
                Object[] row = new Object[schema.columns().size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = reader.value(c);
                }
                values.add(row);
                if (i == 1) { // Avro form: text as Utf8, bytes as ByteBuffer, timestamps as microseconds
                    assertThat(reader.avroValue(schema.indexOf("c_text"))).isEqualTo(new Utf8(AllTypes.TRICKY_TEXT));
                    assertThat(reader.avroValue(schema.indexOf("c_bytes"))).isInstanceOf(ByteBuffer.class);
                    assertThat(reader.avroValue(schema.indexOf("c_ts"))).isEqualTo(-1L);
                    // Primitive form: the same values without boxing.
                    assertThat(reader.longValue(schema.indexOf("c_ts"))).isEqualTo(-1L);
                    assertThat(reader.intValue(schema.indexOf("c_int"))).isEqualTo(Integer.MAX_VALUE);
                    assertThat(reader.doubleValue(schema.indexOf("c_double"))).isEqualTo(Double.MAX_VALUE);
                    assertThat(reader.floatValue(schema.indexOf("c_real"))).isEqualTo(Float.MAX_VALUE);
                    assertThat(reader.booleanValue(schema.indexOf("c_bool"))).isTrue();
                    assertThat(reader.text(schema.indexOf("c_text")).toString()).isEqualTo(AllTypes.TRICKY_TEXT);
                    assertThat(reader.bytes(schema.indexOf("c_bytes")).remaining())
                            .isEqualTo(8);
                }
                if (i == 4) { // every column NULL
                    for (int c = 1; c < schema.columns().size(); c++) {
                        assertThat(reader.isNull(c)).isTrue();
                    }
                    assertThat(reader.isNull(0)).isFalse();
                }
            }
            assertThat(reader.rowsRead()).isEqualTo(5);
            assertThat(reader.next()).isFalse();
        }
        assertThat(TargetRows.expected(schema.columns(), values))
                .isEqualTo(TargetRows.expected(schema.columns(), AllTypes.rows()));
    }

    @Test
    void unchangedColumnsOfFilesOfBothWritersAndOfFilesWithoutTheField() throws IOException {
        TableSchema schema = AllTypes.table(new TableId("s", "t"));
        int text = schema.indexOf("c_text");
        int json = schema.indexOf("c_json");
        int bytes = schema.indexOf("c_bytes");
        Object[] partial = AllTypes.rows().get(1).clone();
        partial[text] = null;
        partial[json] = null;
        partial[bytes] = null;
        List<Row> rows = List.of(
                new Row(Op.INSERT, new Position(0, 1), AllTypes.rows().get(0)),
                new Row(Op.UPDATE, new Position(0, 2), partial, new int[] {text, json, bytes}),
                new Row(Op.UPDATE, new Position(0, 3), AllTypes.rows().get(2)),
                new Row(Op.UPDATE, new Position(0, 4), AllTypes.rows().get(4).clone(), new int[] {bytes}));

        for (StagedFile file :
                List.of(StagedFiles.write(dir, schema, rows), StagedFiles.writeWithStagingWriter(dir, schema, rows))) {
            try (StagedFileReader reader = StagedFileReader.open(file)) {
                List<int[]> unchanged = new ArrayList<>();
                List<Object> partialValues = new ArrayList<>();
                while (reader.next()) {
                    unchanged.add(reader.unchangedColumns());
                    if (reader.rowsRead() == 2) {
                        for (int c = 0; c < schema.columns().size(); c++) {
                            partialValues.add(reader.value(c));
                        }
                    }
                }
                assertThat(unchanged)
                        .containsExactly(new int[0], new int[] {text, json, bytes}, new int[0], new int[] {bytes});
                assertThat(TargetRows.expected(schema.columns(), List.<Object[]>of(partialValues.toArray())))
                        .isEqualTo(TargetRows.expected(schema.columns(), List.<Object[]>of(partial)));
            }
        }

        // A file staged before the field existed: every row sent every column.
        List<Row> complete = List.of(rows.get(0), rows.get(2));
        try (StagedFileReader reader =
                StagedFileReader.open(StagedFiles.writeWithoutUnchangedField(dir, schema, complete))) {
            assertThat(reader.schema()).isEqualTo(schema);
            int n = 0;
            while (reader.next()) {
                assertThat(reader.unchangedCount()).isZero();
                assertThat(reader.position()).isEqualTo(complete.get(n).position());
                assertThat(reader.value(text)).isEqualTo(complete.get(n).values()[text]);
                n++;
            }
            assertThat(n).isEqualTo(2);
        }
    }

    @Test
    void firstPositionReadsTheFirstRowAheadAndNextHandsItOutFirst() throws IOException {
        TableSchema schema = AllTypes.table(new TableId("s", "t"));
        List<Row> rows = List.of(
                new Row(Op.UPDATE, new Position(0, 7), AllTypes.rows().get(0)),
                new Row(Op.DELETE, new Position(0, 9), AllTypes.rows().get(1)));
        StagedFile file = StagedFiles.write(dir, schema, rows);

        assertThat(StagedFileReader.firstPositionOf(file)).isEqualTo(new Position(0, 7));
        try (StagedFileReader reader = StagedFileReader.open(file)) {
            assertThat(reader.firstPosition()).isEqualTo(new Position(0, 7));
            assertThat(reader.firstPosition()).as("read ahead once").isEqualTo(new Position(0, 7));
            assertThat(reader.rowsRead()).as("a row read ahead is not yet read").isZero();

            assertThat(reader.next()).isTrue();
            assertThat(reader.rowsRead()).isEqualTo(1);
            assertThat(reader.op()).isEqualTo(Op.UPDATE);
            assertThat(reader.position()).isEqualTo(new Position(0, 7));
            assertThat(reader.value(0)).isEqualTo(AllTypes.rows().get(0)[0]);
            assertThat(reader.next()).isTrue();
            assertThat(reader.rowsRead()).isEqualTo(2);
            assertThat(reader.op()).isEqualTo(Op.DELETE);
            assertThat(reader.position()).isEqualTo(new Position(0, 9));
            assertThat(reader.next()).isFalse();
            assertThat(reader.firstPosition()).isEqualTo(new Position(0, 7));
        }
        try (StagedFileReader reader = StagedFileReader.open(file)) {
            reader.next();
            assertThatThrownBy(reader::firstPosition)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ask before reading");
        }
    }

    @Test
    void firstPositionOfAFileWithoutRowsIsNull() throws IOException {
        StagedFile withoutRows = StagedFiles.write(dir, AllTypes.table(new TableId("s", "t")), List.of());
        Path zeroBytes = Files.createFile(dir.resolve("zero.avro"));

        assertThat(StagedFileReader.firstPositionOf(withoutRows)).isNull();
        assertThat(StagedFileReader.firstPositionOf(
                        new StagedFile(zeroBytes.toUri().toString(), 0)))
                .isNull();
        try (StagedFileReader reader = StagedFileReader.open(withoutRows)) {
            assertThat(reader.firstPosition()).isNull();
            assertThat(reader.next()).isFalse();
            assertThat(reader.rowsRead()).isZero();
        }
    }

    @Test
    void fileWithoutRows() throws IOException {
        TableSchema schema = AllTypes.table(new TableId("s", "t"));
        try (StagedFileReader reader = StagedFileReader.open(StagedFiles.write(dir, schema, List.of()))) {
            assertThat(reader.schema()).isEqualTo(schema);
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void fileOfZeroBytesHasNoSchemaAndNoRows() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.avro"));
        try (StagedFileReader reader = StagedFileReader.open(new StagedFile(empty.toString(), 0))) {
            assertThat(reader.schema()).isNull();
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void notAnAvroFile() throws IOException {
        Path text = Files.writeString(dir.resolve("text.avro"), "hello");
        assertThatThrownBy(
                        () -> StagedFileReader.open(new StagedFile(text.toUri().toString(), 5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("text.avro");
    }
}
