package io.eltcdc.destination.bigquery;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Files of one batch that load into one staging table with one load job, and merge together: all
 * the batch's files, unless a column's type changed between the table's schema versions within the
 * batch (then the files of each version form a part, merged one after the other in the batch's
 * transaction, as the JDBC destinations do).
 *
 * <p>The part's staged layout is the Avro schema of its files when they all share one (the usual
 * case: the files are loaded as they are), else a union of their layouts (a column added, or files
 * written before {@code _elt_unchanged} existed), into which the files are re-encoded
 * ({@link AvroContainerWriter}). Staged field names are the Avro names of the columns, which
 * {@link #stagedField} gives per column; the column at index {@code i} of {@link #columns()} is
 * the {@code i}th column field of the staged layout, which is what {@code _elt_unchanged} counts.
 */
final class BatchPart {
    private final List<BatchFile> files;
    private final BatchColumns columns;
    private final Schema staged;
    private final boolean sameLayout;
    private final Map<String, String> fieldOfColumn;

    private BatchPart(
            List<BatchFile> files,
            BatchColumns columns,
            Schema staged,
            boolean sameLayout,
            Map<String, String> fieldOfColumn) {
        this.files = List.copyOf(files);
        this.columns = columns;
        this.staged = staged;
        this.sameLayout = sameLayout;
        this.fieldOfColumn = fieldOfColumn;
    }

    /** The parts of a batch's non-empty files (none for a batch without rows). */
    static List<BatchPart> of(TableId table, List<BatchFile> files) {
        List<BatchFile> withRows = files.stream().filter(f -> !f.isEmpty()).toList();
        List<BatchPart> parts = new ArrayList<>();
        for (List<BatchFile> group : groups(withRows)) {
            parts.add(part(table, group));
        }
        return parts;
    }

    /** One group when the files agree on every shared column's type, else one per schema version (first-seen order). */
    private static List<List<BatchFile>> groups(List<BatchFile> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        Map<String, String> types = new HashMap<>();
        boolean agree = true;
        for (BatchFile file : files) {
            for (Column column : file.schema().columns()) {
                String seen = types.putIfAbsent(column.name(), column.typeText());
                agree &= seen == null || seen.equals(column.typeText());
            }
        }
        if (agree) {
            return List.of(files);
        }
        Map<String, List<BatchFile>> byVersion = new LinkedHashMap<>();
        for (BatchFile file : files) {
            byVersion
                    .computeIfAbsent(file.schema().version(), v -> new ArrayList<>())
                    .add(file);
        }
        return new ArrayList<>(byVersion.values());
    }

    private static BatchPart part(TableId table, List<BatchFile> files) {
        List<TableSchema> schemas = files.stream().map(BatchFile::schema).toList();
        BatchColumns columns = BatchColumns.of(table, schemas);
        Schema first = files.get(0).avro();
        boolean sameLayout = files.stream().allMatch(f -> f.avro().equals(first));
        Map<String, Schema.Field> fieldByColumn = new LinkedHashMap<>();
        for (BatchFile file : files) {
            for (Schema.Field field : file.avro().getFields()) {
                String column = field.getProp("elt.column");
                if (column == null) {
                    continue;
                }
                Schema.Field seen = fieldByColumn.putIfAbsent(column, field);
                if (seen != null && !seen.name().equals(field.name())) {
                    throw new IllegalArgumentException("column '" + column + "' of " + table
                            + " has the Avro field name "
                            + seen.name() + " in one staged file and " + field.name() + " in another; load the files"
                            + " of each schema version separately");
                }
            }
        }
        Map<String, String> fieldOfColumn = new HashMap<>();
        fieldByColumn.forEach((column, field) -> fieldOfColumn.put(column, field.name()));
        Schema staged = sameLayout ? first : union(first, columns, fieldByColumn);
        return new BatchPart(files, columns, staged, sameLayout, fieldOfColumn);
    }

    /** The union layout: every column's field in batch column order, then the metadata fields of the current layout. */
    private static Schema union(Schema first, BatchColumns columns, Map<String, Schema.Field> fieldByColumn) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Column column : columns.columns()) {
            Schema.Field field = fieldByColumn.get(column.name());
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field(AvroSchemas.OP_FIELD, Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field(
                AvroSchemas.POSITION_FIELD, LogicalTypes.decimal(38, 0).addToSchema(Schema.create(Schema.Type.BYTES))));
        fields.add(new Schema.Field(
                AvroSchemas.UNCHANGED_FIELD,
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.createArray(Schema.create(Schema.Type.INT))),
                null,
                Schema.Field.NULL_DEFAULT_VALUE));
        Schema union = Schema.createRecord(first.getName(), first.getDoc(), first.getNamespace(), false, fields);
        first.getObjectProps().forEach(union::addProp);
        return union;
    }

    List<BatchFile> files() {
        return files;
    }

    BatchColumns columns() {
        return columns;
    }

    /** The Avro schema of the staged rows. */
    Schema stagedSchema() {
        return staged;
    }

    /** Whether every file has the staged layout already (they are loaded byte for byte). */
    boolean sameLayout() {
        return sameLayout;
    }

    /** Whether the staged rows have {@code _elt_unchanged} (files written before it existed lack it). */
    boolean hasUnchangedField() {
        return staged.getField(MetadataColumns.UNCHANGED) != null;
    }

    /** The staging table's name of {@code column}'s field. */
    String stagedField(String column) {
        return fieldOfColumn.get(column);
    }

    /** Whether BigQuery can load the files straight from Cloud Storage: all on gs://, in one layout. */
    boolean loadsFromCloudStorage() {
        return sameLayout && files.stream().allMatch(BatchFile::onCloudStorage);
    }

    /** The files' URIs. */
    List<String> uris() {
        return files.stream().map(f -> f.file().path()).toList();
    }
}
