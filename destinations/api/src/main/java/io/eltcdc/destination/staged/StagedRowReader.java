package io.eltcdc.destination.staged;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;

/**
 * Decodes the records of a staged file straight from Avro's binary encoding into a reused
 * {@link StagedRow}: no {@code GenericRecord}, no boxed numbers, no Strings. Loaders read 10⁵ to
 * 10⁶ rows per batch, and building generic records (with their boxing and text conversions) cost
 * more than the whole rest of the decoding.
 *
 * <p>Staged files are flat records whose fields are a primitive type, an array of ints, or a union
 * of null and one of those ({@link io.eltcdc.model.AvroSchemas}); other schemas are refused. The reader
 * decodes with the file's own (writer) schema, which {@link org.apache.avro.file.DataFileStream}
 * hands to {@link #setSchema} once it has read the header, so no schema resolution is involved.
 */
final class StagedRowReader implements DatumReader<StagedRow> {
    private enum Kind {
        INT,
        LONG,
        FLOAT,
        DOUBLE,
        BOOLEAN,
        STRING,
        BYTES,
        INT_ARRAY
    }

    private Kind[] kinds;
    /** Per field, the union branch that is null, or -1 for a field that is not a union. */
    private int[] nullBranch;

    /** A reader that learns its schema from {@link #setSchema}. */
    StagedRowReader() {}

    @Override
    public void setSchema(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("a staged file holds records, not " + schema.getType());
        }
        List<Schema.Field> fields = schema.getFields();
        kinds = new Kind[fields.size()];
        nullBranch = new int[fields.size()];
        for (Schema.Field field : fields) {
            Schema type = field.schema();
            int pos = field.pos();
            nullBranch[pos] = -1;
            if (type.getType() == Schema.Type.UNION) {
                List<Schema> branches = type.getTypes();
                int nulls = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
                if (branches.size() != 2 || branches.get(nulls).getType() != Schema.Type.NULL) {
                    throw unsupported(field);
                }
                nullBranch[pos] = nulls;
                type = branches.get(1 - nulls);
            }
            kinds[pos] = kindOf(type, field);
        }
    }

    private static Kind kindOf(Schema type, Schema.Field field) {
        return switch (type.getType()) {
            case INT -> Kind.INT;
            case LONG -> Kind.LONG;
            case FLOAT -> Kind.FLOAT;
            case DOUBLE -> Kind.DOUBLE;
            case BOOLEAN -> Kind.BOOLEAN;
            case STRING -> Kind.STRING;
            case BYTES -> Kind.BYTES;
            case ARRAY -> {
                if (type.getElementType().getType() != Schema.Type.INT) {
                    throw unsupported(field);
                }
                yield Kind.INT_ARRAY;
            }
            default -> throw unsupported(field);
        };
    }

    private static IllegalArgumentException unsupported(Schema.Field field) {
        return new IllegalArgumentException("field " + field.name() + " of a staged file has type " + field.schema()
                + "; staged fields are a primitive type, an array of ints, or a union of null and one");
    }

    /** How many fields a row has. */
    int fields() {
        return kinds.length;
    }

    /** Whether {@code field} holds Avro strings (else bytes or a number). */
    boolean isText(int field) {
        return kinds[field] == Kind.STRING;
    }

    /** Whether {@code field} holds Avro bytes. */
    boolean isBytes(int field) {
        return kinds[field] == Kind.BYTES;
    }

    /** The boxed Avro value of {@code field} of {@code row}, as a generic record would hold it. */
    Object boxed(StagedRow row, int field) {
        if (row.isNull(field)) {
            return null;
        }
        return switch (kinds[field]) {
            case INT -> row.intValue(field);
            case LONG -> row.longValue(field);
            case FLOAT -> row.floatValue(field);
            case DOUBLE -> row.doubleValue(field);
            case BOOLEAN -> row.booleanValue(field);
            case STRING -> row.text(field);
            case BYTES -> row.bytes(field);
            case INT_ARRAY -> Arrays.copyOf(row.ints[field], row.intsLength(field));
        };
    }

    @Override
    public StagedRow read(StagedRow reuse, Decoder in) throws IOException {
        StagedRow row = reuse != null && reuse.isNull.length == kinds.length ? reuse : new StagedRow(kinds.length);
        for (int f = 0; f < kinds.length; f++) {
            if (nullBranch[f] >= 0 && in.readIndex() == nullBranch[f]) {
                in.readNull();
                row.isNull[f] = true;
                continue;
            }
            row.isNull[f] = false;
            switch (kinds[f]) {
                case INT -> row.numbers[f] = in.readInt();
                case LONG -> row.numbers[f] = in.readLong();
                case FLOAT -> row.numbers[f] = Float.floatToRawIntBits(in.readFloat());
                case DOUBLE -> row.numbers[f] = Double.doubleToRawLongBits(in.readDouble());
                case BOOLEAN -> row.numbers[f] = in.readBoolean() ? 1 : 0;
                case STRING -> row.texts[f] = in.readString(row.texts[f]);
                case BYTES -> row.bytes[f] = in.readBytes(row.bytes[f]);
                case INT_ARRAY -> readInts(row, f, in);
            }
        }
        return row;
    }

    private static void readInts(StagedRow row, int f, Decoder in) throws IOException {
        int[] items = row.ints[f] == null ? new int[4] : row.ints[f];
        int n = 0;
        for (long block = in.readArrayStart(); block > 0; block = in.arrayNext()) {
            if (n + block > items.length) {
                items = Arrays.copyOf(items, (int) Math.max(items.length * 2L, n + block));
            }
            for (long i = 0; i < block; i++) {
                items[n++] = in.readInt();
            }
        }
        row.ints[f] = items;
        row.numbers[f] = n;
    }
}
