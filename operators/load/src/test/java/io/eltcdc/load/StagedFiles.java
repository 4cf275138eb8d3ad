package io.eltcdc.load;

import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/** Writes staged files for tests, as the staging FileSink would: the self-describing Avro schema of the table. */
public final class StagedFiles {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private StagedFiles() {}

    /** One staged record: operation, position and one value per column (pipeline form). */
    public record Row(Op op, Position position, Object... values) {
        public static Row of(Op op, long position, Object... values) {
            return new Row(op, new Position(0, position), values);
        }
    }

    public static StagedFile write(Path dir, TableSchema schema, List<Row> rows) throws IOException {
        Schema avro = AvroSchemas.toAvro(schema);
        List<Column> columns = schema.columns();
        Path file = dir.resolve("part-" + SEQUENCE.incrementAndGet() + ".avro");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(avro))) {
            writer.create(avro, file.toFile());
            for (Row row : rows) {
                if (row.values().length != columns.size()) {
                    throw new IllegalArgumentException(row.values().length + " values for " + columns.size() + " columns");
                }
                GenericData.Record record = new GenericData.Record(avro);
                for (int i = 0; i < columns.size(); i++) {
                    record.put(i, AvroValues.toAvro(columns.get(i), row.values()[i]));
                }
                record.put(AvroSchemas.OP_FIELD, row.op().name());
                record.put(AvroSchemas.POSITION_FIELD, AvroValues.positionToAvro(row.position()));
                writer.append(record);
            }
        }
        return new StagedFile(file.toUri().toString(), Files.size(file));
    }
}
