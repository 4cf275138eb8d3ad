package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load files COPY reads: a position above 2^53 and a {@code decimal(38,10)} arrive as their
 * exact digits, and the move into the staging table casts that text to NUMBER.
 */
class SnowflakeLoadFilesTest {
    /** 2^53 + 1: the first integer a double cannot hold; as a double it would equal 2^53. */
    private static final long ABOVE_2_53 = 9_007_199_254_740_993L;

    private static final TableSchema LEDGER = new TableSchema(
            new TableId("bank", "ledger"),
            List.of(
                    new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                    Column.decimal("amount", 38, 10),
                    Column.of("counter", ColumnType.INT64),
                    Column.of("blob", ColumnType.BYTES),
                    Column.of("at", ColumnType.TIMESTAMP_TZ),
                    Column.of("day", ColumnType.DATE),
                    Column.of("Note Text", ColumnType.STRING)),
            List.of("id"));
    private static final BigDecimal WIDE = new BigDecimal("1234567890123456789012345678.0123456789");

    @TempDir
    Path dir;

    private List<GenericRecord> writeAndReadBack(StagedFile staged, TableSchema schema) throws Exception {
        Path load = dir.resolve("load/part-00000.avro");
        Files.createDirectories(load.getParent());
        try (StagedFileReader reader = StagedFileReader.open(staged)) {
            assertThat(SnowflakeLoadFiles.write(reader, schema, load.toUri().toString()))
                    .isEqualTo(2);
        }
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> in = new DataFileReader<>(load.toFile(), new GenericDatumReader<>())) {
            assertThat(in.getSchema()).isEqualTo(SnowflakeLoadFiles.schemaOf(schema));
            in.forEach(records::add);
        }
        return records;
    }

    @Test
    void positionsAndWideDecimalsTravelAsTheirExactDigits() throws Exception {
        StagedFile staged = StagedFiles.write(
                dir,
                LEDGER,
                List.of(
                        new Row(
                                Op.INSERT,
                                new Position(0, ABOVE_2_53),
                                1,
                                WIDE,
                                ABOVE_2_53,
                                new byte[] {1, 2, (byte) 0xff},
                                Instant.parse("2024-05-06T07:08:09.123456Z"),
                                LocalDate.of(2024, 5, 6),
                                "n"),
                        // The next position, 2^53 + 2, and one above 2^64: distinct, as they are.
                        new Row(
                                Op.UPDATE,
                                new Position(1, 2),
                                new Object[] {1, WIDE.negate(), null, null, null, null, null},
                                new int[] {6})));

        List<GenericRecord> records = writeAndReadBack(staged, LEDGER);

        GenericRecord first = records.get(0);
        assertThat(first.get("_elt_position").toString()).isEqualTo("9007199254740993");
        assertThat(first.get("amount").toString()).isEqualTo("1234567890123456789012345678.0123456789");
        assertThat(first.get("counter").toString()).isEqualTo("9007199254740993");
        assertThat(first.get("blob").toString()).isEqualTo("0102ff");
        assertThat(first.get("at").toString()).isEqualTo("1714979289123456");
        assertThat(first.get("day")).isEqualTo((int) LocalDate.of(2024, 5, 6).toEpochDay());
        assertThat(first.get("Note_Text").toString()).isEqualTo("n"); // the staged file's field name
        assertThat(first.get("_elt_op").toString()).isEqualTo("INSERT");
        assertThat(first.get("_elt_unchanged")).isNull();
        GenericRecord second = records.get(1);
        assertThat(second.get("_elt_position").toString()).isEqualTo("18446744073709551618");
        assertThat(second.get("amount").toString()).isEqualTo("-1234567890123456789012345678.0123456789");
        assertThat(second.get("counter")).isNull();
        assertThat(second.get("_elt_unchanged")).isEqualTo(List.of(6));

        // No field is a decimal, bytes or a logical type left to Snowflake's Avro reader to interpret.
        for (Schema.Field field : SnowflakeLoadFiles.schemaOf(LEDGER).getFields()) {
            Schema type = field.schema().isUnion() ? field.schema().getTypes().get(1) : field.schema();
            assertThat(type.getLogicalType()).as(field.name()).isNull();
            assertThat(type.getType()).as(field.name()).isNotEqualTo(Schema.Type.BYTES);
        }
    }

    @Test
    void theMoveIntoTheStagingTableCastsTheDigitsToNumbers() {
        SnowflakeBatchPart part = SnowflakeBatchPlan.of(
                        LEDGER.id(),
                        TargetTable.of(null, LEDGER.id(), null),
                        io.eltcdc.destination.DeleteMode.HARD,
                        SnowflakeNames.SOURCE,
                        List.of(new SnowflakeBatchPlan.FileOfVersion(LEDGER, "_snowflake/x/part-00000.avro", null)))
                .get(0);
        String insert = part.stagingStatements(SnowflakeStage.withIntegration("s3://b/p", "I"))
                .get(4);
        assertThat(insert)
                .contains("r.\"amount\"::VARCHAR::NUMBER(38,10)")
                .contains("r.\"counter\"::VARCHAR::NUMBER(19,0)")
                .contains("TO_BINARY(r.\"blob\"::VARCHAR, 'HEX')")
                .contains("TO_TIMESTAMP_TZ(r.\"at\"::VARCHAR::NUMBER(19,0), 6)")
                .contains("r.\"_elt_position\"::VARCHAR::NUMBER(38,0)");
    }

    @Test
    void eachBatchHasAFolderOfItsOwnInTheStagingFolder() {
        TargetTable target = TargetTable.of(null, LEDGER.id(), null);
        String folder = SnowflakeLoadFiles.folderOf("pipe", target, "batch-1");
        assertThat(folder).matches("_snowflake/[0-9a-f]{24}/");
        assertThat(SnowflakeLoadFiles.folderOf("pipe", target, "batch-1")).isEqualTo(folder); // a retry overwrites
        assertThat(SnowflakeLoadFiles.folderOf("pipe", target, "batch-2")).isNotEqualTo(folder);
        assertThat(SnowflakeLoadFiles.folderOf("other", target, "batch-1")).isNotEqualTo(folder);
    }

    @Test
    void theFolderIsDeletedWithItsFiles() throws Exception {
        Path folder = dir.resolve("_snowflake/abc");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-00000.avro"), "x");
        SnowflakeLoadFiles.deleteFolder(folder.toUri().toString());
        assertThat(folder).doesNotExist();
        SnowflakeLoadFiles.deleteFolder(folder.toUri().toString()); // gone already: nothing to do
    }
}
