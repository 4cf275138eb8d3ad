package io.eltcdc.destination.redshift;

import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedKeys;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Re-encodes the staged records of one batch part into load files that COPY reads as they are
 * ({@link LoadFileLayout}): every value in a form whose conversion in Redshift is plain SQL, long
 * values handled as {@link LongStrings} says. Also feeds every record to a {@link StagedKeys}, so
 * the merge learns whether keys repeat, whether there are DELETEs and which columns were unchanged.
 *
 * <p>Files roll at {@value #ROLL_BYTES} bytes (COPY reads several files in parallel). Avro blocks
 * are kept near {@value #BLOCK_BYTES} bytes: COPY refuses Avro blocks over 4 MB.
 */
final class LoadFileWriter {
    static final long ROLL_BYTES = 128L << 20;
    static final int BLOCK_BYTES = 1 << 20;

    private final LoadFileStore store;
    private final LongStrings longStrings;
    /** Whether the last {@link #fit} truncated its value. */
    private boolean lastValueCut;

    LoadFileWriter(LoadFileStore store, LongStrings longStrings) {
        this.store = store;
        this.longStrings = longStrings;
    }

    /**
     * What was written: the files (none for a part without records), what staging learnt, and per
     * column how many values were truncated.
     */
    record Written(List<String> files, StagedRows rows, Map<String, Long> truncatedByColumn) {}

    /**
     * Writes the records of {@code files} (of {@code batch}, whose column names are the source's)
     * as {@code <folder>/part-<part>-<n>.avro}.
     */
    Written write(String folder, int part, BatchColumns batch, List<StagedFileReader> files) throws IOException {
        Schema schema = new LoadFileLayout(batch).avroSchema();
        List<Column> columns = batch.columns();
        int fieldCount = schema.getFields().size();
        StagedKeys keys = new StagedKeys(batch);
        Map<String, Long> truncated = new LinkedHashMap<>();
        List<String> written = new ArrayList<>();
        GenericRecord record = new GenericData.Record(schema);
        Output out = null;
        long rows = 0;
        try {
            for (StagedFileReader file : files) {
                int[] indexes = batch.indexesIn(file.schema());
                keys.startFile(file);
                while (file.next()) {
                    if (out == null || out.bytes() >= ROLL_BYTES) {
                        if (out != null) {
                            out.close();
                        }
                        String uri = folder + "/part-" + part + "-" + String.format("%05d", written.size()) + ".avro";
                        out = new Output(store.create(uri), schema);
                        written.add(uri);
                    }
                    String unchanged = keys.unchangedText(file);
                    boolean cut = false;
                    for (int i = 0; i < indexes.length; i++) {
                        int column = indexes[i];
                        if (column < 0 || file.isNull(column)) {
                            record.put(i, null);
                        } else {
                            record.put(i, fit(columns.get(i), value(columns.get(i), file, column), file));
                            if (lastValueCut) {
                                cut = true;
                                truncated.merge(columns.get(i).name(), 1L, Long::sum);
                            }
                        }
                    }
                    record.put(fieldCount - 4, file.opName());
                    record.put(fieldCount - 3, file.position().toString());
                    record.put(fieldCount - 2, unchanged);
                    record.put(fieldCount - 1, cut ? Boolean.TRUE : null);
                    out.writer.append(record);
                    keys.add(file);
                    rows++;
                }
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        return new Written(written, keys.result(rows), truncated);
    }

    /** The value of a column in the load file's form. */
    private static Object value(Column column, StagedFileReader file, int index) {
        return switch (column.type()) {
            case INT32 -> file.intValue(index);
            case INT64 -> file.longValue(index);
            case FLOAT32 -> file.floatValue(index);
            case FLOAT64 -> file.doubleValue(index);
            case BOOLEAN -> file.booleanValue(index);
            case DECIMAL -> LoadFileText.decimal(file.bytes(index), column.scale());
            case DECIMAL_TEXT, STRING, JSON, UUID -> file.text(index);
            case DATE -> LoadFileText.date(file.intValue(index));
            case TIME -> LoadFileText.time(file.longValue(index));
            case TIMESTAMP -> LoadFileText.timestamp(file.longValue(index), false);
            case TIMESTAMP_TZ -> LoadFileText.timestamp(file.longValue(index), true);
            case BYTES -> file.bytes(index); // hex in fit(), which knows the length limit
        };
    }

    /**
     * {@code value} as Redshift can take it (bytes as hex text), truncated ({@link #lastValueCut}) or
     * refused when too long.
     */
    private Object fit(Column column, Object value, StagedFileReader file) {
        lastValueCut = false;
        if (value instanceof ByteBuffer bytes) {
            int length = bytes.remaining();
            if (length <= RedshiftTypes.MAX_BYTES) {
                return LoadFileText.hex(bytes, length);
            }
            tooLong(
                    column,
                    file,
                    length + " bytes",
                    RedshiftTypes.MAX_BYTES + " bytes (they travel as hex text" + " in a VARCHAR of at most "
                            + RedshiftTypes.MAX_VARCHAR_BYTES + " bytes)");
            lastValueCut = true;
            return LoadFileText.hex(bytes, RedshiftTypes.MAX_BYTES);
        }
        if (value instanceof Utf8 text
                && RedshiftTypes.isLongText(column)
                && text.getByteLength() > RedshiftTypes.MAX_VARCHAR_BYTES) {
            tooLong(
                    column,
                    file,
                    text.getByteLength() + " bytes of UTF-8",
                    RedshiftTypes.MAX_VARCHAR_BYTES + " bytes (VARCHAR's limit)");
            lastValueCut = true;
            // getBytes() may be longer than the text (a reused buffer): only the first getByteLength() count.
            return new Utf8(
                    Arrays.copyOf(text.getBytes(), Utf8Cut.at(text.getBytes(), RedshiftTypes.MAX_VARCHAR_BYTES)));
        }
        return value;
    }

    /** Fails for {@link LongStrings#FAIL}; returns for {@link LongStrings#TRUNCATE}, whose caller truncates. */
    private void tooLong(Column column, StagedFileReader file, String length, String limit) {
        if (longStrings == LongStrings.FAIL) {
            throw new IllegalArgumentException("column " + column.name() + " of "
                    + file.schema().id() + " holds "
                    + length + " in row " + file.rowsRead() + " of "
                    + file.file().path() + "; Redshift takes at most "
                    + limit + ". Set destination.long-strings: truncate to load the first part and mark the row with "
                    + RedshiftNames.TRUNCATED + " = true, or shorten the value in the source");
        }
    }

    /** One open load file and the bytes written to it so far. */
    private static final class Output implements AutoCloseable {
        final DataFileWriter<GenericRecord> writer;
        private final Counting counting;

        Output(OutputStream stream, Schema schema) throws IOException {
            counting = new Counting(stream);
            writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema));
            writer.setCodec(CodecFactory.deflateCodec(1));
            writer.setSyncInterval(BLOCK_BYTES);
            writer.create(schema, counting);
        }

        long bytes() {
            return counting.count;
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
