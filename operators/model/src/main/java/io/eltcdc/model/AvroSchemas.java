package io.eltcdc.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The Avro schema of a table's staged files, and back.
 *
 * <p>A staged file describes itself: the schema carries the table ({@code elt.schema},
 * {@code elt.table}), the key ({@code elt.key}) and the version, and every field the column's
 * exact name ({@code elt.column}, since Avro names allow fewer characters than SQL identifiers) and
 * pipeline type ({@code elt.type}). A loader needs nothing but the file.
 *
 * <p>After the columns come the metadata fields {@code _elt_op}, {@code _elt_position} and
 * {@code _elt_unchanged}: a nullable array of the indexes (among the record's column fields, in
 * field order) of the columns whose value the source did not send, null when it sent all. Files
 * written before that field existed lack it; readers treat its absence as null.
 */
public final class AvroSchemas {
    public static final String OP_FIELD = "_elt_op";
    public static final String POSITION_FIELD = "_elt_position";
    /** Nullable {@code array<int>}: the record's unchanged columns ({@link ChangeRecord#unchangedColumns()}). */
    public static final String UNCHANGED_FIELD = "_elt_unchanged";

    static final String PROP_SCHEMA = "elt.schema";
    static final String PROP_TABLE = "elt.table";
    static final String PROP_KEY = "elt.key";
    static final String PROP_VERSION = "elt.version";
    static final String PROP_COLUMN = "elt.column";
    static final String PROP_TYPE = "elt.type";
    static final String PROP_SOURCE_TYPE = "elt.source-type";
    static final String PROP_PRECISION = "elt.precision";
    static final String PROP_SCALE = "elt.scale";
    /** On a column renamed in the source while streaming: its former name. */
    static final String PROP_RENAMED_FROM = "elt.renamed-from";

    private AvroSchemas() {}

    /** The Avro schema of {@code table}'s files: its columns, then {@code _elt_op}, {@code _elt_position}, {@code _elt_unchanged}. */
    public static Schema toAvro(TableSchema table) {
        Schema record = Schema.createRecord(
                avroName("t_" + table.id().schema() + "_" + table.id().table()), null, "elt", false);
        List<Schema.Field> fields = new ArrayList<>();
        Set<String> used = new HashSet<>(List.of(OP_FIELD, POSITION_FIELD, UNCHANGED_FIELD));
        for (Column column : table.columns()) {
            Schema.Field field = new Schema.Field(
                    uniqueName(avroName(column.name()), used),
                    Schema.createUnion(Schema.create(Schema.Type.NULL), valueSchema(column)),
                    null,
                    Schema.Field.NULL_DEFAULT_VALUE);
            field.addProp(PROP_COLUMN, column.name());
            field.addProp(PROP_TYPE, column.type().name());
            field.addProp(PROP_SOURCE_TYPE, column.sourceType());
            if (column.type() == ColumnType.DECIMAL) {
                field.addProp(PROP_PRECISION, column.precision());
                field.addProp(PROP_SCALE, column.scale());
            }
            field.addProp("elt.nullable", column.nullable());
            String formerName = table.renamedFrom().get(column.name());
            if (formerName != null) {
                field.addProp(PROP_RENAMED_FROM, formerName);
            }
            fields.add(field);
        }
        fields.add(new Schema.Field(OP_FIELD, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(
                POSITION_FIELD, LogicalTypes.decimal(38, 0).addToSchema(Schema.create(Schema.Type.BYTES))));
        fields.add(new Schema.Field(
                UNCHANGED_FIELD,
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.createArray(Schema.create(Schema.Type.INT))),
                "indexes of the columns (in field order) whose value the source did not send; null for none",
                Schema.Field.NULL_DEFAULT_VALUE));
        record.setFields(fields);
        record.addProp(PROP_SCHEMA, table.id().schema());
        record.addProp(PROP_TABLE, table.id().table());
        record.addProp(PROP_KEY, table.keyColumns());
        record.addProp(PROP_VERSION, table.version());
        return record;
    }

    /** The table schema a staged file's Avro schema was made from. */
    public static TableSchema fromAvro(Schema record) {
        String schemaName = record.getProp(PROP_SCHEMA);
        String tableName = record.getProp(PROP_TABLE);
        if (schemaName == null || tableName == null) {
            throw new IllegalArgumentException(
                    "Avro schema " + record.getFullName() + " was not written by elt-cdc (no elt.table)");
        }
        List<Column> columns = new ArrayList<>();
        Map<String, String> renamedFrom = new HashMap<>();
        for (Schema.Field field : record.getFields()) {
            String name = field.getProp(PROP_COLUMN);
            if (name == null) {
                continue; // a metadata field
            }
            if (field.getProp(PROP_RENAMED_FROM) != null) {
                renamedFrom.put(name, field.getProp(PROP_RENAMED_FROM));
            }
            ColumnType type = ColumnType.valueOf(field.getProp(PROP_TYPE));
            Object precision = field.getObjectProp(PROP_PRECISION);
            Object scale = field.getObjectProp(PROP_SCALE);
            Object nullable = field.getObjectProp("elt.nullable");
            columns.add(new Column(
                    name,
                    type,
                    precision == null ? 0 : ((Number) precision).intValue(),
                    scale == null ? 0 : ((Number) scale).intValue(),
                    nullable == null || Boolean.TRUE.equals(nullable),
                    field.getProp(PROP_SOURCE_TYPE)));
        }
        @SuppressWarnings("unchecked")
        List<String> key = (List<String>) record.getObjectProp(PROP_KEY);
        return new TableSchema(new TableId(schemaName, tableName), columns, key == null ? List.of() : key, renamedFrom);
    }

    private static Schema valueSchema(Column column) {
        switch (column.type()) {
            case INT32:
                return Schema.create(Schema.Type.INT);
            case INT64:
                return Schema.create(Schema.Type.LONG);
            case FLOAT32:
                return Schema.create(Schema.Type.FLOAT);
            case FLOAT64:
                return Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case DECIMAL:
                return LogicalTypes.decimal(column.precision(), column.scale())
                        .addToSchema(Schema.create(Schema.Type.BYTES));
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME:
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP:
                return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP_TZ:
                return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case UUID:
                return LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
            case BYTES:
                return Schema.create(Schema.Type.BYTES);
            default: // STRING, JSON, DECIMAL_TEXT
                return Schema.create(Schema.Type.STRING);
        }
    }

    /** A valid Avro name for any SQL identifier: letters, digits and underscores only. */
    static String avroName(String name) {
        StringBuilder out = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    private static String uniqueName(String base, Set<String> used) {
        String name = base;
        for (int n = 2; !used.add(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }
}
