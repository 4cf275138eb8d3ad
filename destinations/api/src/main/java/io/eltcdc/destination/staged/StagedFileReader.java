package io.eltcdc.destination.staged;

import io.eltcdc.destination.StagedFile;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.util.Utf8;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads one staged Avro file, row by row: a cursor over the file's records that decodes each into
 * one reused {@link StagedRow} ({@link StagedRowReader}), so reading allocates nothing per row.
 *
 * <p>The file is opened through Flink's {@link FileSystem}, so {@code file://} and (once the job
 * initialised its plugins) {@code s3://} paths work alike. The table schema comes from the file
 * itself ({@link AvroSchemas#fromAvro}). Values are offered in pipeline form ({@link #value}) and
 * in Avro form ({@link #avroValue}: Integer, Long, Float, Double, Boolean, {@code Utf8} for text
 * and UUIDs, {@code ByteBuffer} for bytes and decimals, days for dates, microseconds for times and
 * timestamps), and as primitives ({@link #isNull}, {@link #longValue}, {@link #text}, …), which
 * loaders use to skip boxing and conversions altogether.
 *
 * <p>A file of zero bytes (no Avro header at all) reads as a file without schema and rows.
 *
 * <p>{@link #firstPosition} reads the first row ahead (to order a batch's parts, {@link
 * SchemaVersionGroups}); {@link #next} then hands that row out first, so a reader reads every row
 * once, and {@link #rowsRead} counts rows handed out, not rows read ahead.
 */
public final class StagedFileReader implements Closeable {
    private final StagedFile file;
    private final InputStream in;
    private final DataFileStream<StagedRow> stream;
    private final StagedRowReader rowReader;
    private TableSchema schema;
    private final int[] fieldOfColumn;
    private final int opField;
    private final int positionField;
    /** The {@code _elt_unchanged} field, or -1 for a file written before it existed. */
    private final int unchangedField;

    private StagedRow row;
    private long rowsRead;
    /** The first row is in {@link #row}, read ahead by {@link #firstPosition}, and {@link #next} has not handed it out. */
    private boolean firstRowAhead;
    /** Whether {@link #firstPosition} has looked (the answer may be null: no rows). */
    private boolean firstPositionKnown;

    private Position firstPosition;

    private StagedFileReader(
            StagedFile file, InputStream in, DataFileStream<StagedRow> stream, StagedRowReader rowReader) {
        this.file = file;
        this.in = in;
        this.stream = stream;
        this.rowReader = rowReader;
        if (stream == null) {
            schema = null;
            fieldOfColumn = new int[0];
            opField = -1;
            positionField = -1;
            unchangedField = -1;
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
                    + (op == null
                            ? AvroSchemas.OP_FIELD
                            : position == null ? AvroSchemas.POSITION_FIELD : "column fields"));
        }
        opField = op.pos();
        positionField = position.pos();
        Schema.Field unchanged = avro.getField(AvroSchemas.UNCHANGED_FIELD);
        unchangedField = unchanged == null ? -1 : unchanged.pos();
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
                return new StagedFileReader(file, in, null, null);
            }
            in.unread(first);
            StagedRowReader rowReader = new StagedRowReader();
            return new StagedFileReader(file, in, new DataFileStream<>(in, rowReader), rowReader);
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

    /**
     * Presents the file's columns under the names the source renamed them to ({@code renamedFrom}:
     * new name to former name), where the file has the former name and not the new one. A file
     * written before a rename then loads together with those written after it, into the renamed
     * column. Values and their order stay as they are.
     */
    public void renameColumns(Map<String, String> renamedFrom) {
        if (schema == null || renamedFrom.isEmpty()) {
            return;
        }
        Map<String, String> newByFormer = new HashMap<>();
        renamedFrom.forEach((newName, former) -> {
            if (schema.indexOf(former) >= 0 && schema.indexOf(newName) < 0) {
                newByFormer.put(former, newName);
            }
        });
        if (newByFormer.isEmpty()) {
            return;
        }
        List<Column> columns = schema.columns().stream()
                .map(c -> newByFormer.containsKey(c.name())
                        ? new Column(
                                newByFormer.get(c.name()),
                                c.type(),
                                c.precision(),
                                c.scale(),
                                c.nullable(),
                                c.sourceType())
                        : c)
                .toList();
        List<String> key = schema.keyColumns().stream()
                .map(k -> newByFormer.getOrDefault(k, k))
                .toList();
        schema = new TableSchema(schema.id(), columns, key, renamedFrom);
    }

    /** Applies every rename any of {@code files} notes to all of them (one batch's files). */
    public static void renameColumnsAcross(List<StagedFileReader> files) {
        Map<String, String> renamedFrom = new HashMap<>();
        for (StagedFileReader file : files) {
            if (file.schema != null) {
                renamedFrom.putAll(file.schema.renamedFrom());
            }
        }
        for (StagedFileReader file : files) {
            file.renameColumns(renamedFrom);
        }
    }

    /**
     * Reads a staged file's first position ({@link #firstPosition}) and closes it: for loaders that
     * do not read the files themselves (the warehouse does), when a batch loads in parts.
     *
     * @return the position of the file's first row; null for a file without rows
     */
    public static Position firstPositionOf(StagedFile file) throws IOException {
        try (StagedFileReader reader = open(file)) {
            return reader.firstPosition();
        }
    }

    /**
     * The position of the file's first row; null for a file without rows. The staging writer appends
     * a table's records in the order the source emits them, so this is the file's smallest position
     * (see {@link SchemaVersionGroups} for the one exception). Reads the first row ahead, so call it
     * before the first {@link #next}.
     *
     * @throws IllegalStateException if rows were read before the first call
     */
    public Position firstPosition() throws IOException {
        if (firstPositionKnown) {
            return firstPosition;
        }
        if (rowsRead > 0) {
            throw new IllegalStateException("the first position of " + file.path() + " is asked for after " + rowsRead
                    + " row(s) were read; ask before reading");
        }
        firstPositionKnown = true;
        if (stream != null && stream.hasNext()) {
            row = stream.next(row);
            firstRowAhead = true;
            firstPosition = position();
        }
        return firstPosition;
    }

    /** Moves to the next row; false at the end of the file. */
    public boolean next() throws IOException {
        if (firstRowAhead) {
            firstRowAhead = false;
            rowsRead++;
            return true;
        }
        if (stream == null || !stream.hasNext()) {
            return false;
        }
        row = stream.next(row);
        rowsRead++;
        return true;
    }

    /** Rows read so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /** The current row's operation name, as staged ({@code INSERT}, …); the same String instance per operation. */
    public String opName() {
        return OpNames.of(row.text(opField));
    }

    public Op op() {
        Op op = OpNames.op(row.text(opField));
        return op != null ? op : Op.valueOf(opName()); // valueOf names the unknown operation in its exception
    }

    /** Whether the current row is a DELETE. */
    public boolean isDelete() {
        return OpNames.op(row.text(opField)) == Op.DELETE;
    }

    /** The current row's position (read from its decimal bytes without BigInteger). */
    public Position position() {
        ByteBuffer bytes = row.bytes(positionField);
        try {
            return new Position(UnscaledBytes.high(bytes), UnscaledBytes.low(bytes));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "invalid position in " + file.path() + " row " + (firstRowAhead ? 1 : rowsRead) + ": "
                            + new BigInteger(bytes(bytes)),
                    e);
        }
    }

    /** The current row's position as Avro decimal bytes (big-endian two's complement, unscaled). */
    public ByteBuffer positionBytes() {
        return row.bytes(positionField);
    }

    /**
     * How many columns of the current row the source did not send (their values are NULL and the
     * destination keeps its own); 0 for most rows, and for files written without the field.
     */
    public int unchangedCount() {
        return unchangedField < 0 || row.isNull(unchangedField) ? 0 : row.intsLength(unchangedField);
    }

    /** The {@code i}th unchanged column of the current row: an index into {@link #schema()}'s columns. */
    public int unchangedColumn(int i) {
        return row.intAt(unchangedField, i);
    }

    /** The current row's unchanged columns, ascending as staged; empty for none. */
    public int[] unchangedColumns() {
        int[] out = new int[unchangedCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = unchangedColumn(i);
        }
        return out;
    }

    /** The current row's value of column {@code column} (index into {@link #schema()}'s columns), pipeline form. */
    public Object value(int column) {
        return AvroValues.fromAvro(schema.columns().get(column), avroValue(column));
    }

    /** The current row's value of column {@code column} in its Avro form; null for NULL. */
    public Object avroValue(int column) {
        return rowReader.boxed(row, fieldOfColumn[column]);
    }

    // Primitive accessors of column {@code column} of the current row: valid for the column's Avro
    // type only (int for INT32 and DATE, long for INT64, TIME and timestamps, string for text, JSON,
    // UUID and DECIMAL_TEXT, bytes for DECIMAL and BYTES); the values are reused by the next row.

    public boolean isNull(int column) {
        return row.isNull(fieldOfColumn[column]);
    }

    public long longValue(int column) {
        return row.longValue(fieldOfColumn[column]);
    }

    public int intValue(int column) {
        return row.intValue(fieldOfColumn[column]);
    }

    public float floatValue(int column) {
        return row.floatValue(fieldOfColumn[column]);
    }

    public double doubleValue(int column) {
        return row.doubleValue(fieldOfColumn[column]);
    }

    public boolean booleanValue(int column) {
        return row.booleanValue(fieldOfColumn[column]);
    }

    public Utf8 text(int column) {
        return row.text(fieldOfColumn[column]);
    }

    public ByteBuffer bytes(int column) {
        return row.bytes(fieldOfColumn[column]);
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
