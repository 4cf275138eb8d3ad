package io.eltcdc.destination.bigquery;

import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The Avro layout in which a part of a batch is loaded into its staging table, and how the merge
 * reads each staged field back as its target column's type. It differs from the staged files'
 * layout where a load job would not give the staging column a type BigQuery can load or the merge
 * can use:
 *
 * <ul>
 *   <li>A TIMESTAMP column (without time zone; in the files an Avro {@code long} with logical type
 *       {@code local-timestamp-micros}) is staged as a plain {@code long}, which a load job always
 *       reads as INT64, and the merge makes it DATETIME with {@code DATETIME(TIMESTAMP_MICROS(x))}
 *       (the wall-clock time the micros count from 1970-01-01T00:00, read in UTC). BigQuery's Avro
 *       conversion has loaded {@code local-timestamp-micros} as INT64 rather than DATETIME, so the
 *       type the logical type gets is not relied on.
 *   <li>{@code _elt_unchanged} is a non-null {@code array<int>} (default {@code []}), empty where a
 *       file has NULL (the source sent every column): a load job makes an Avro array a REPEATED
 *       column, and a REPEATED column has no NULL, so a nullable array is not staged. The merge's
 *       conditions treat an empty list as "no unchanged columns" (see {@link MergeStatements}).
 *   <li>A JSON column is staged as STRING (its text) and parsed with {@code PARSE_JSON}.
 *   <li>Every other column keeps its field as the files have it; a load job with Avro logical types
 *       gives it the column's BigQuery type ({@link BigQueryType}).
 * </ul>
 *
 * Column fields come first, in the batch's column order, then {@code _elt_op}, {@code _elt_position}
 * and (when a file has it) {@code _elt_unchanged}: the index of a column among the column fields is
 * its index in {@code _elt_unchanged}.
 */
final class StagedLayout {
    private StagedLayout() {}

    /**
     * The staged layout of a part.
     *
     * @param first the first file's Avro schema: its record name and properties are kept
     * @param columns the part's columns
     * @param fieldOfColumn each column's field in the files (a column has one field name in every file)
     * @param hasUnchanged whether a file of the part has {@code _elt_unchanged}
     */
    static Schema of(
            Schema first, BatchColumns columns, Map<String, Schema.Field> fieldOfColumn, boolean hasUnchanged) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Column column : columns.columns()) {
            Schema.Field field = fieldOfColumn.get(column.name());
            fields.add(new Schema.Field(field, valueSchema(column, field.schema())));
        }
        fields.add(new Schema.Field(AvroSchemas.OP_FIELD, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(
                AvroSchemas.POSITION_FIELD, LogicalTypes.decimal(38, 0).addToSchema(Schema.create(Schema.Type.BYTES))));
        if (hasUnchanged) {
            fields.add(new Schema.Field(
                    AvroSchemas.UNCHANGED_FIELD,
                    Schema.createArray(Schema.create(Schema.Type.INT)),
                    "indexes of the columns (in field order) whose value the source did not send; empty for none",
                    List.of()));
        }
        Schema layout = Schema.createRecord(first.getName(), first.getDoc(), first.getNamespace(), false, fields);
        first.getObjectProps().forEach(layout::addProp);
        return layout;
    }

    /** The staged schema of {@code column}'s field, whose schema in the files is {@code file}. */
    private static Schema valueSchema(Column column, Schema file) {
        if (column.type() != ColumnType.TIMESTAMP) {
            return file;
        }
        List<Schema> branches = new ArrayList<>();
        for (Schema branch : file.isUnion() ? file.getTypes() : List.of(file)) {
            branches.add(branch.getType() == Schema.Type.LONG ? Schema.create(Schema.Type.LONG) : branch);
        }
        return file.isUnion() ? Schema.createUnion(branches) : branches.get(0);
    }

    /** The value of {@code column} in its target column's type, from the staged expression {@code staged}. */
    static String targetValue(Column column, String staged) {
        return switch (column.type()) {
            case JSON -> "PARSE_JSON(" + staged + ")";
            case TIMESTAMP -> "DATETIME(TIMESTAMP_MICROS(" + staged + "))";
            default -> staged;
        };
    }
}
