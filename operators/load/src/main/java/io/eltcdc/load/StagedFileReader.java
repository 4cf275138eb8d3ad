package io.eltcdc.load;

import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads one staged Avro file, row by row: a cursor over the file's records that reuses one
 * record, so reading allocates little per row.
 *
 * <p>The file is opened through Flink's {@link FileSystem}, so {@code file://} and (once the job
 * initialised its plugins) {@code s3://} paths work alike. The table schema comes from the file
 * itself ({@link AvroSchemas#fromAvro}). Values are offered in pipeline form ({@link #value}) and
 * in Avro form ({@link #avroValue}: Integer, Long, Float, Double, Boolean, {@code Utf8} for text
 * and UUIDs, {@code ByteBuffer} for bytes and decimals, days for dates, microseconds for times and
 * timestamps), which loaders that can take raw numbers use to skip conversions.
 *
 * <p>A file of zero bytes (no Avro header at all) reads as a file without schema and rows.
 */
public final class StagedFileReader implements Closeable {
    private final StagedFile file;
    private final InputStream in;
    private final DataFileStream<GenericRecord> stream;
    private final TableSchema schema;
    private final int[] fieldOfColumn;
    private final int opField;
    private final int positionField;
    private GenericRecord record;
    private long rowsRead;

    private StagedFileReader(StagedFile file, InputStream in, DataFileStream<GenericRecord> stream) {
        this.file = file;
        this.in = in;
        this.stream = stream;
        if (stream == null) {
            schema = null;
            fieldOfColumn = new int[0];
            opField = -1;
            positionField = -1;
            return;
        }
        Schema avro = stream.getSchema();
        schema = AvroSchemas.fromAvro(avro);
        List<Column> columns = schema.columns();
        fieldOfColumn = new int[columns.size()];
        int next = 0;
        for (Schema.Field field : avro.getFields()) {
            if (field.getProp("elt.column") != null) {
                fieldOfColumn[next++] = field.pos();
            }
        }
        Schema.Field op = avro.getField(AvroSchemas.OP_FIELD);
        Schema.Field position = avro.getField(AvroSchemas.POSITION_FIELD);
        if (next != columns.size() || op == null || position == null) {
            throw new IllegalArgumentException("staged file " + file.path() + " lacks "
                    + (op == null ? AvroSchemas.OP_FIELD : position == null ? AvroSchemas.POSITION_FIELD : "column fields"));
        }
        opField = op.pos();
        positionField = position.pos();
    }

    /** Opens {@code file} and reads its header. */
    public static StagedFileReader open(StagedFile file) throws IOException {
        PushbackInputStream in;
        try {
            Path path = new Path(file.path());
            in = new PushbackInputStream(path.getFileSystem().open(path), 1);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot open staged file " + file.path() + ": " + e, e);
        }
        try {
            int first = in.read();
            if (first < 0) {
                return new StagedFileReader(file, in, null);
            }
            in.unread(first);
            // A fresh GenericData: no logical-type conversions, so values stay in their Avro form; and
            // Avro's fast reader, which decodes flat records like these about a third faster.
            GenericData data = new GenericData();
            data.setFastReaderEnabled(true);
            GenericDatumReader<GenericRecord> datumReader = new GenericDatumReader<>(null, null, data);
            return new StagedFileReader(file, in, new DataFileStream<>(in, datumReader));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw new IOException("cannot read staged file " + file.path() + ": " + e.getMessage(), e);
        }
    }

    public StagedFile file() {
        return file;
    }

    /** The table schema the file was written with; null for a file of zero bytes. */
    public TableSchema schema() {
        return schema;
    }

    /** Moves to the next row; false at the end of the file. */
    public boolean next() throws IOException {
        if (stream == null || !stream.hasNext()) {
            return false;
        }
        record = stream.next(record);
        rowsRead++;
        return true;
    }

    /** Rows read so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /** The current row's operation name, as staged ({@code INSERT}, …). */
    public String opName() {
        return record.get(opField).toString();
    }

    public Op op() {
        return Op.valueOf(opName());
    }

    /** The current row's position (read from its decimal bytes without BigInteger). */
    public Position position() {
        ByteBuffer bytes = (ByteBuffer) record.get(positionField);
        try {
            return new Position(UnscaledBytes.high(bytes), UnscaledBytes.low(bytes));
        } catch (RuntimeException e) {
            throw new IllegalStateException("invalid position in " + file.path() + " row " + rowsRead + ": "
                    + new BigInteger(bytes(bytes)), e);
        }
    }

    /** The current row's value of column {@code column} (index into {@link #schema()}'s columns), pipeline form. */
    public Object value(int column) {
        return AvroValues.fromAvro(schema.columns().get(column), record.get(fieldOfColumn[column]));
    }

    /** The current row's value of column {@code column} in its Avro form; null for NULL. */
    public Object avroValue(int column) {
        return record.get(fieldOfColumn[column]);
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        } else {
            in.close();
        }
    }

    @Override
    public String toString() {
        return "StagedFileReader[" + file.path() + "]";
    }

    /** The bytes of an Avro bytes value, without moving the buffer. */
    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
