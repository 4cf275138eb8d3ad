package io.eltcdc.model.serde;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link TableSchema}, shared by the record serializer and the snapshot source's
 * split serializer. Its layout is part of their versioned formats: change it only together with a
 * new version of each.
 */
public final class TableSchemaSerde {
    private TableSchemaSerde() {}

    public static void write(DataOutput out, TableSchema schema) throws IOException {
        out.writeUTF(schema.id().schema());
        out.writeUTF(schema.id().table());
        out.writeInt(schema.columns().size());
        for (Column c : schema.columns()) {
            out.writeUTF(c.name());
            out.writeUTF(c.type().name());
            out.writeInt(c.precision());
            out.writeInt(c.scale());
            out.writeBoolean(c.nullable());
            out.writeUTF(c.sourceType());
        }
        out.writeInt(schema.keyColumns().size());
        for (String k : schema.keyColumns()) {
            out.writeUTF(k);
        }
    }

    public static TableSchema read(DataInput in) throws IOException {
        TableId id = new TableId(in.readUTF(), in.readUTF());
        int n = in.readInt();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            columns.add(new Column(
                    in.readUTF(),
                    ColumnType.valueOf(in.readUTF()),
                    in.readInt(),
                    in.readInt(),
                    in.readBoolean(),
                    in.readUTF()));
        }
        int k = in.readInt();
        List<String> key = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            key.add(in.readUTF());
        }
        return new TableSchema(id, columns, key);
    }
}
