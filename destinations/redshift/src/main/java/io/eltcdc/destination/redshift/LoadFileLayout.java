package io.eltcdc.destination.redshift;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The fields of a batch part's load files, which are the columns of the raw table COPY fills from
 * them ({@code FORMAT AS AVRO 'auto'} matches field names to column names): {@code c0}, {@code c1},
 * … for the batch's columns in batch order (plain lower-case names, whatever the source's names
 * are), then {@code _elt_op}, {@code _elt_position} (decimal text), {@code _elt_unchanged} (the
 * unchanged columns as {@code ,3,7,} of batch column indexes, or null) and {@code _elt_truncated}.
 */
final class LoadFileLayout {
    static final String OP_TYPE = "VARCHAR(16)";
    static final String POSITION_TEXT_TYPE = "VARCHAR(40)";

    private final BatchColumns batch;

    LoadFileLayout(BatchColumns batch) {
        this.batch = batch;
    }

    /** The field and raw column of batch column {@code i}. */
    static String field(int i) {
        return "c" + i;
    }

    /** The raw table's column definitions, in field order: name and SQL type. */
    List<String[]> rawColumns() {
        List<String[]> columns = new ArrayList<>();
        for (int i = 0; i < batch.columns().size(); i++) {
            columns.add(new String[] {
                field(i), RedshiftTypes.rawType(batch.columns().get(i))
            });
        }
        columns.add(new String[] {MetadataColumns.OP, OP_TYPE});
        columns.add(new String[] {MetadataColumns.POSITION, POSITION_TEXT_TYPE});
        columns.add(new String[] {MetadataColumns.UNCHANGED, RedshiftTypes.TEXT});
        columns.add(new String[] {RedshiftNames.TRUNCATED, "BOOLEAN"});
        return columns;
    }

    /** The Avro schema of the load files. */
    Schema avroSchema() {
        List<Schema.Field> fields = new ArrayList<>();
        List<Column> columns = batch.columns();
        for (int i = 0; i < columns.size(); i++) {
            fields.add(new Schema.Field(
                    field(i), RedshiftTypes.avroType(columns.get(i)), null, Schema.Field.NULL_DEFAULT_VALUE));
        }
        fields.add(new Schema.Field(MetadataColumns.OP, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(MetadataColumns.POSITION, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(
                MetadataColumns.UNCHANGED, nullable(Schema.Type.STRING), null, Schema.Field.NULL_DEFAULT_VALUE));
        fields.add(new Schema.Field(
                RedshiftNames.TRUNCATED, nullable(Schema.Type.BOOLEAN), null, Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(
                "redshift_load", "rows of one batch part, for COPY", "io.eltcdc.redshift", false, fields);
    }

    private static Schema nullable(Schema.Type type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(type));
    }
}
