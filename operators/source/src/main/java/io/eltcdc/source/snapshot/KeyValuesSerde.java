package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.TypedValues;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Binary form of an optional key value (one value per key column of a table, each in its column
 * type's {@link TypedValues} form), shared by the split and enumerator state serializers.
 */
final class KeyValuesSerde {
    private KeyValuesSerde() {}

    static void write(DataOutput out, TableSchema schema, Object[] key) throws IOException {
        out.writeBoolean(key != null);
        if (key != null) {
            for (int part = 0; part < key.length; part++) {
                TypedValues.write(
                        out, schema.columns().get(schema.keyIndex(part)).type(), key[part]);
            }
        }
    }

    static Object[] read(DataInput in, TableSchema schema) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        Object[] key = new Object[schema.keyColumns().size()];
        for (int part = 0; part < key.length; part++) {
            key[part] = TypedValues.read(
                    in, schema.columns().get(schema.keyIndex(part)).type());
        }
        return key;
    }

    static void writeOptionalString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            TypedValues.writeString(out, s);
        }
    }

    static String readOptionalString(DataInput in) throws IOException {
        return in.readBoolean() ? TypedValues.readString(in) : null;
    }
}
