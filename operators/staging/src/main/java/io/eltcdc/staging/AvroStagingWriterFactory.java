package io.eltcdc.staging;

import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Bulk writer factory of the staging FileSink: one Avro container file per part file, whose schema
 * is taken from the part's first record. Every record of a part file has the same table and
 * schema version (the bucket is table/version), so one FileSink writes every table.
 */
public final class AvroStagingWriterFactory implements BulkWriter.Factory<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final String compression;

    /** @param compression {@code none}, {@code deflate} or {@code snappy} */
    public AvroStagingWriterFactory(String compression) {
        this.compression = compression;
        codec(); // fail at job build time, not in the task
    }

    @Override
    public BulkWriter<ChangeRecord> create(FSDataOutputStream out) {
        return new Writer(out, codec());
    }

    private CodecFactory codec() {
        return switch (compression) {
            case "none" -> CodecFactory.nullCodec();
            case "deflate" -> CodecFactory.deflateCodec(1);
            case "snappy" -> CodecFactory.snappyCodec();
            default ->
                throw new IllegalArgumentException(
                        "unknown staging compression '" + compression + "' (known: none, deflate, snappy)");
        };
    }

    private static final class Writer implements BulkWriter<ChangeRecord> {
        private final FSDataOutputStream out;
        private final CodecFactory codec;
        private final ChangeRecordDatumWriter datumWriter = new ChangeRecordDatumWriter();
        private DataFileWriter<ChangeRecord> fileWriter;
        private TableSchema tableSchema;

        Writer(FSDataOutputStream out, CodecFactory codec) {
            this.out = out;
            this.codec = codec;
        }

        @Override
        public void addElement(ChangeRecord record) throws IOException {
            // Columns, not the whole schema: the same columns with and without the note of a rename
            // may share a file (the first record's schema names the file's renames).
            if (fileWriter == null) {
                open(record.schema());
            } else if (record.schema() != tableSchema
                    && !record.schema().columns().equals(tableSchema.columns())) {
                throw new IllegalStateException("record of " + record.schema() + " in the part file of " + tableSchema
                        + ": the bucket assigner must separate schema versions");
            }
            fileWriter.append(record);
        }

        private void open(TableSchema schema) throws IOException {
            Schema avroSchema = AvroSchemas.toAvro(schema);
            tableSchema = schema;
            datumWriter.setColumns(schema.columns());
            fileWriter = new DataFileWriter<>(datumWriter).setCodec(codec);
            fileWriter.create(avroSchema, out);
        }

        @Override
        public void flush() throws IOException {
            if (fileWriter != null) {
                fileWriter.flush();
            }
        }

        @Override
        public void finish() throws IOException {
            // Flush, but do not close: the FileSink owns and closes the stream.
            flush();
        }
    }
}
