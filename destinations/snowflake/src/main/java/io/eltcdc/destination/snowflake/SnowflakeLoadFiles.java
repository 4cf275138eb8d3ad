package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * The load files COPY reads: each staged file's records re-encoded into the forms that convert
 * exactly in Snowflake ({@link AvroVariantValues}), written through Flink's file systems (the job's
 * S3 settings apply, as for staging) into a folder of the staging folder, which the external stage
 * reads.
 *
 * <ul>
 *   <li>A load file has the staged file's field names, in its order ({@link AvroSchemas#toAvro} of
 *       the schema it was written with): its raw table ({@link AvroRawTable}) matches them by name.
 *   <li>The folder is fixed per pipeline, target table and batch ({@link #folderOf}): a retry
 *       overwrites what an earlier attempt wrote, and the loader deletes it after each attempt.
 * </ul>
 */
final class SnowflakeLoadFiles {
    /** The folder of the staging folder that holds the load files of every batch being loaded. */
    static final String ROOT = "_snowflake/";
    /** Avro blocks of about this many bytes: each is read whole. */
    private static final int BLOCK_BYTES = 1 << 20;

    private SnowflakeLoadFiles() {}

    /** {@code _snowflake/<24 hex digits>/}, relative to the staging folder: the batch's load files. */
    static String folderOf(String pipeline, TargetTable target, String batchId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((pipeline + "\n" + target.sql() + "\n" + batchId).getBytes(StandardCharsets.UTF_8));
            return ROOT + HexFormat.of().formatHex(hash, 0, 12) + "/";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The Avro schema of the load file of a staged file written with {@code written}. */
    static Schema schemaOf(TableSchema written) {
        List<Schema.Field> fields = new ArrayList<>();
        int column = 0;
        for (Schema.Field field : AvroSchemas.toAvro(written).getFields()) {
            Schema type;
            if (field.getProp("elt.column") != null) {
                type = nullable(AvroVariantValues.loadType(written.columns().get(column++)));
            } else if (field.name().equals(AvroSchemas.POSITION_FIELD)) {
                type = Schema.create(Schema.Type.STRING);
            } else {
                type = field.schema(); // _elt_op (a string) and _elt_unchanged (nullable array<int>): as staged
            }
            fields.add(new Schema.Field(
                    field.name(), type, null, type.isNullable() ? Schema.Field.NULL_DEFAULT_VALUE : null));
        }
        return Schema.createRecord(
                "snowflake_load", "rows of one staged file, for COPY", "io.eltcdc.snowflake", false, fields);
    }

    /**
     * Writes the records of {@code file} (written with {@code written}; read from its first row on)
     * as the load file {@code uri}, replacing one of that name.
     *
     * @return the records written
     */
    static long write(StagedFileReader file, TableSchema written, String uri) throws IOException {
        Schema schema = schemaOf(written);
        List<Column> columns = written.columns();
        int op = schema.getField(AvroSchemas.OP_FIELD).pos();
        int position = schema.getField(AvroSchemas.POSITION_FIELD).pos();
        int unchanged = schema.getField(AvroSchemas.UNCHANGED_FIELD).pos();
        Path path = new Path(uri);
        OutputStream out = path.getFileSystem().create(path, WriteMode.OVERWRITE);
        DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema));
        try {
            writer.setCodec(CodecFactory.deflateCodec(1));
            writer.setSyncInterval(BLOCK_BYTES);
            writer.create(schema, out); // from here on, closing the writer closes the stream
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        long rows = 0;
        try (writer) {
            GenericRecord record = new GenericData.Record(schema);
            while (file.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    record.put(i, file.isNull(i) ? null : AvroVariantValues.loadValue(columns.get(i), file, i));
                }
                record.put(op, file.opName());
                record.put(position, AvroVariantValues.loadPosition(file));
                int[] unsent = file.unchangedColumns();
                record.put(unchanged, unsent.length == 0 ? null : intList(unsent));
                writer.append(record);
                rows++;
            }
        }
        return rows;
    }

    /** Deletes the folder {@code uri} and everything in it; nothing when it does not exist. */
    static void deleteFolder(String uri) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem();
        if (fs.exists(path)) {
            fs.delete(path, true);
        }
    }

    private static Schema nullable(Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }

    private static List<Integer> intList(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return list;
    }
}
