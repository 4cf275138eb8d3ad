package io.eltcdc.staging;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.SampleRecords;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.local.LocalDataOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging writer's Avro encoding, read back by Avro's own generic reader. */
class ChangeRecordDatumWriterTest {
    @TempDir
    Path dir;

    @Test
    void recordsWithAndWithoutUnchangedColumnsRoundTrip() throws Exception {
        TableSchema table = SampleRecords.allTypesTable();
        List<Object[]> rows = SampleRecords.allTypesRows();
        Object[] partial = rows.get(0).clone();
        int[] unchanged = {7, 13, 14};
        for (int column : unchanged) {
            partial[column] = null;
        }
        List<ChangeRecord> records = List.of(
                new ChangeRecord(table, Op.READ, Position.SNAPSHOT, rows.get(0)),
                new ChangeRecord(table, Op.UPDATE, new Position(5, 1), partial, unchanged),
                new ChangeRecord(table, Op.UPDATE, new Position(5, 2), rows.get(1)),
                new ChangeRecord(
                        table, Op.UPDATE, new Position(5, 3), rows.get(2).clone(), new int[] {1}),
                new ChangeRecord(table, Op.DELETE, new Position(6, 0), rows.get(2)));
        File file = dir.resolve("part.avro").toFile();
        for (String compression : List.of("none", "deflate", "snappy")) {
            try (LocalDataOutputStream out = new LocalDataOutputStream(file)) {
                BulkWriter<ChangeRecord> writer = new AvroStagingWriterFactory(compression).create(out);
                for (ChangeRecord record : records) {
                    writer.addElement(record);
                }
                writer.finish();
            }

            List<ChangeRecord> back = new ArrayList<>();
            List<Object> rawUnchanged = new ArrayList<>();
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file, new GenericDatumReader<>())) {
                TableSchema schema = AvroSchemas.fromAvro(reader.getSchema());
                assertThat(schema).isEqualTo(table);
                for (GenericRecord r : reader) {
                    Object[] values = new Object[schema.columns().size()];
                    for (int i = 0; i < values.length; i++) {
                        Column c = schema.columns().get(i);
                        values[i] = AvroValues.fromAvro(c, r.get(i));
                    }
                    rawUnchanged.add(r.get(AvroSchemas.UNCHANGED_FIELD));
                    back.add(new ChangeRecord(
                            schema,
                            Op.valueOf(r.get(AvroSchemas.OP_FIELD).toString()),
                            AvroValues.positionFromAvro(r.get(AvroSchemas.POSITION_FIELD)),
                            values,
                            AvroValues.unchangedFromAvro(r.get(AvroSchemas.UNCHANGED_FIELD))));
                }
            }

            assertThat(rawUnchanged).as(compression).containsExactly(null, List.of(7, 13, 14), null, List.of(1), null);
            assertThat(back).hasSameSizeAs(records);
            for (int i = 0; i < records.size(); i++) {
                ChangeRecord expected = records.get(i);
                ChangeRecord actual = back.get(i);
                assertThat(actual.op()).isEqualTo(expected.op());
                assertThat(actual.position()).isEqualTo(expected.position());
                assertThat(actual.unchangedColumns()).isEqualTo(expected.unchangedColumns());
                assertThat(Arrays.deepEquals(actual.values(), expected.values()))
                        .as("values of record %d", i)
                        .isTrue();
            }
        }
    }
}
