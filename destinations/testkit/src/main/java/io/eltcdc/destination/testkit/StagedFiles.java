package io.eltcdc.destination.testkit;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.staging.AvroStagingWriterFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.local.LocalDataOutputStream;

/** Writes staged files for tests, as the staging FileSink would: the self-describing Avro schema of the table. */
public final class StagedFiles {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private StagedFiles() {}

    /**
     * One staged record: operation, position, one value per column (pipeline form), and the
     * indexes of the columns the source did not send (empty for none).
     */
    public record Row(Op op, Position position, Object[] values, int[] unchanged) {
        public Row(Op op, Position position, Object... values) {
            this(op, position, values, new int[0]);
        }

        public static Row of(Op op, long position, Object... values) {
            return new Row(op, new Position(0, position), values);
        }

        /** An UPDATE that did not send the columns {@code unchanged} (their values must be null). */
        public static Row update(long position, int[] unchanged, Object... values) {
            return new Row(Op.UPDATE, new Position(0, position), values, unchanged);
        }

        ChangeRecord toRecord(TableSchema schema) {
            return new ChangeRecord(schema, op, position, values, unchanged);
        }
    }

    public static StagedFile write(Path dir, TableSchema schema, List<Row> rows) throws IOException {
        return write(dir, schema, rows, AvroSchemas.toAvro(schema));
    }

    /**
     * A file in the layout of files staged before {@code _elt_unchanged} existed: the same schema
     * without that field. Rows must send every column.
     */
    public static StagedFile writeWithoutUnchangedField(Path dir, TableSchema schema, List<Row> rows)
            throws IOException {
        Schema current = AvroSchemas.toAvro(schema);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            if (!field.name().equals(AvroSchemas.UNCHANGED_FIELD)) {
                Schema.Field copy = new Schema.Field(field, field.schema());
                fields.add(copy);
            }
        }
        Schema old = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        current.getObjectProps().forEach(old::addProp);
        return write(dir, schema, rows, new Schema.Parser().parse(old.toString()));
    }

    /** A file written by the staging FileSink's own writer ({@link AvroStagingWriterFactory}). */
    public static StagedFile writeWithStagingWriter(Path dir, TableSchema schema, List<Row> rows) throws IOException {
        Path file = dir.resolve("part-" + SEQUENCE.incrementAndGet() + ".avro");
        try (LocalDataOutputStream out = new LocalDataOutputStream(file.toFile())) {
            BulkWriter<ChangeRecord> writer = new AvroStagingWriterFactory("deflate").create(out);
            for (Row row : rows) {
                writer.addElement(row.toRecord(schema));
            }
            writer.finish();
        }
        return new StagedFile(file.toUri().toString(), Files.size(file));
    }

    private static StagedFile write(Path dir, TableSchema schema, List<Row> rows, Schema avro) throws IOException {
        List<Column> columns = schema.columns();
        boolean withUnchanged = avro.getField(AvroSchemas.UNCHANGED_FIELD) != null;
        Path file = dir.resolve("part-" + SEQUENCE.incrementAndGet() + ".avro");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(avro))) {
            writer.create(avro, file.toFile());
            for (Row row : rows) {
                if (row.values().length != columns.size()) {
                    throw new IllegalArgumentException(
                            row.values().length + " values for " + columns.size() + " columns");
                }
                GenericData.Record record = new GenericData.Record(avro);
                for (int i = 0; i < columns.size(); i++) {
                    record.put(i, AvroValues.toAvro(columns.get(i), row.values()[i]));
                }
                record.put(AvroSchemas.OP_FIELD, row.op().name());
                record.put(AvroSchemas.POSITION_FIELD, AvroValues.positionToAvro(row.position()));
                if (withUnchanged) {
                    record.put(AvroSchemas.UNCHANGED_FIELD, AvroValues.unchangedToAvro(row.unchanged()));
                } else if (row.unchanged().length > 0) {
                    throw new IllegalArgumentException(
                            "a file without " + AvroSchemas.UNCHANGED_FIELD + " cannot hold unchanged columns");
                }
                writer.append(record);
            }
        }
        return new StagedFile(file.toUri().toString(), Files.size(file));
    }
}
