package io.eltcdc.staging;

import io.eltcdc.model.AvroValues;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Position;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Writes a {@link ChangeRecord} straight to an Avro encoder, in the layout of
 * {@link io.eltcdc.model.AvroSchemas#toAvro}: each column as a {@code [null, type]} union, then
 * {@code _elt_op}, {@code _elt_position} and {@code _elt_unchanged} (null, or the array of the
 * unchanged columns' indexes). Going direct avoids building a GenericRecord per row
 * and resolving it against the schema, the costliest part of generic Avro writing.
 */
final class ChangeRecordDatumWriter implements DatumWriter<ChangeRecord> {
    private List<Column> columns;
    private Position lastPosition;
    private ByteBuffer lastPositionBytes;

    @Override
    public void setSchema(Schema schema) {
        // The columns come with each record; the schema was derived from the same TableSchema.
    }

    void setColumns(List<Column> columns) {
        this.columns = columns;
    }

    @Override
    public void write(ChangeRecord record, Encoder out) throws IOException {
        Object[] values = record.values();
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == null) {
                out.writeIndex(0);
                out.writeNull();
                continue;
            }
            out.writeIndex(1);
            Column column = columns.get(i);
            switch (column.type()) {
                case INT32 -> out.writeInt((Integer) value);
                case INT64 -> out.writeLong((Long) value);
                case FLOAT32 -> out.writeFloat((Float) value);
                case FLOAT64 -> out.writeDouble((Double) value);
                case BOOLEAN -> out.writeBoolean((Boolean) value);
                case STRING, JSON, DECIMAL_TEXT -> out.writeString((String) value);
                case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> writeNumber(out, AvroValues.toAvro(column, value));
                case UUID -> out.writeString(value.toString());
                case BYTES -> out.writeBytes((byte[]) value);
                case DECIMAL -> out.writeBytes((ByteBuffer) AvroValues.toAvro(column, value));
                default -> throw new IllegalStateException("no Avro encoding for " + column.type());
            }
        }
        out.writeString(record.op().name());
        out.writeBytes(positionBytes(record.position()));
        writeUnchanged(record.unchangedColumns(), out);
    }

    /** {@code _elt_unchanged}: a {@code [null, array<int>]} union. */
    private static void writeUnchanged(int[] unchanged, Encoder out) throws IOException {
        if (unchanged.length == 0) {
            out.writeIndex(0);
            out.writeNull();
            return;
        }
        out.writeIndex(1);
        out.writeArrayStart();
        out.setItemCount(unchanged.length);
        for (int column : unchanged) {
            out.startItem();
            out.writeInt(column);
        }
        out.writeArrayEnd();
    }

    private static void writeNumber(Encoder out, Object avroValue) throws IOException {
        if (avroValue instanceof Integer i) {
            out.writeInt(i);
        } else {
            out.writeLong((Long) avroValue);
        }
    }

    /** Snapshot rows of a chunk share one position: encode it once. */
    private ByteBuffer positionBytes(Position position) {
        if (!position.equals(lastPosition)) {
            lastPosition = position;
            lastPositionBytes = AvroValues.positionToAvro(position);
        }
        return lastPositionBytes.duplicate();
    }
}
