package io.eltcdc.destination.bigquery;

import io.eltcdc.model.AvroSchemas;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * Writes the files of a {@link BatchPart} as one Avro container file, for one upload and one load
 * job. A load job reads one container per file: the batch's files cannot just be concatenated
 * (each has its own header and sync marker), and a job per file would multiply the jobs.
 *
 * <p>Files that have the part's staged layout ({@link StagedLayout}) are copied block by block
 * ({@link DataFileWriter#appendAllFrom}, no decoding; blocks of another codec are recompressed).
 * Other files are decoded and re-encoded into it: a column the file lacks is NULL, TIMESTAMP
 * micros are written as the plain longs they are, and the indexes in {@code _elt_unchanged} are
 * moved to the staged layout's column order (an empty list where the file has NULL or no such field).
 */
final class AvroContainerWriter {
    private AvroContainerWriter() {}

    /** Writes {@code part} to {@code out}; {@code out} is flushed, not closed. */
    static void write(BatchPart part, OutputStream out) throws IOException {
        Schema staged = part.stagedSchema();
        String codec = part.files().get(0).codec();
        try (DataFileWriter<GenericRecord> writer =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(staged))) {
            writer.setCodec(codec == null ? CodecFactory.nullCodec() : CodecFactory.fromString(codec));
            writer.create(staged, new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the caller closes the upload channel once it has checked the result
                }
            });
            for (BatchFile file : part.files()) {
                try (InputStream in = file.open();
                        DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    if (part.filesInStagedLayout()) {
                        writer.appendAllFrom(records, false);
                    } else {
                        reencode(records, staged, writer);
                    }
                } catch (IOException | RuntimeException e) {
                    throw new IOException("cannot copy staged file " + file + " into the upload: " + e.getMessage(), e);
                }
            }
        }
    }

    private static void reencode(
            DataFileStream<GenericRecord> records, Schema staged, DataFileWriter<GenericRecord> writer)
            throws IOException {
        Schema layout = records.getSchema();
        // For each column field of the file (in field order): its field in the union layout.
        List<Schema.Field> fileColumns = new ArrayList<>();
        List<Integer> unionIndex = new ArrayList<>();
        for (Schema.Field field : layout.getFields()) {
            if (field.getProp("elt.column") != null) {
                Schema.Field target = staged.getField(field.name());
                fileColumns.add(field);
                unionIndex.add(target.pos()); // column fields come first, so a field's position is its column index
            }
        }
        Schema.Field unchanged = layout.getField(AvroSchemas.UNCHANGED_FIELD);
        boolean hasUnchanged = staged.getField(AvroSchemas.UNCHANGED_FIELD) != null;
        GenericRecord record = null;
        while (records.hasNext()) {
            record = records.next(record);
            GenericData.Record out = new GenericData.Record(staged);
            for (int i = 0; i < fileColumns.size(); i++) {
                out.put(unionIndex.get(i), record.get(fileColumns.get(i).pos()));
            }
            out.put(AvroSchemas.OP_FIELD, record.get(AvroSchemas.OP_FIELD));
            out.put(AvroSchemas.POSITION_FIELD, record.get(AvroSchemas.POSITION_FIELD));
            if (hasUnchanged) {
                Object indexes = unchanged == null ? null : record.get(unchanged.pos());
                List<Integer> moved = new ArrayList<>();
                if (indexes instanceof List<?> list) {
                    for (Object index : list) {
                        moved.add(unionIndex.get(((Number) index).intValue()));
                    }
                }
                out.put(AvroSchemas.UNCHANGED_FIELD, moved);
            }
            writer.append(out);
        }
    }
}
