package io.eltcdc.destination.bigquery;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.SchemaVersionGroups;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Files of one batch that load into one staging table with one load job, and merge together: all
 * the batch's files, unless a column's type changed between the table's schema versions within the
 * batch (then the files of each version form a part, merged one after the other in the batch's
 * transaction, oldest first, as in every destination).
 *
 * <p>The part's staged layout ({@link StagedLayout}) holds every column of its files (a column
 * added, or files written before {@code _elt_unchanged} existed) in the types BigQuery loads them
 * as the merge needs. Files already in that layout are loaded as they are; the others are
 * re-encoded into it ({@link AvroContainerWriter}). Staged field names are the Avro names of the
 * columns, which {@link #stagedField} gives per column; the column at index {@code i} of
 * {@link #columns()} is the {@code i}th column field of the staged layout, which is what
 * {@code _elt_unchanged} counts.
 */
final class BatchPart {
    private final List<BatchFile> files;
    private final BatchColumns columns;
    private final Schema staged;
    private final boolean filesInStagedLayout;
    private final Map<String, String> fieldOfColumn;

    private BatchPart(
            List<BatchFile> files,
            BatchColumns columns,
            Schema staged,
            boolean filesInStagedLayout,
            Map<String, String> fieldOfColumn) {
        this.files = List.copyOf(files);
        this.columns = columns;
        this.staged = staged;
        this.filesInStagedLayout = filesInStagedLayout;
        this.fieldOfColumn = fieldOfColumn;
    }

    /**
     * The parts of a batch's non-empty files (none for a batch without rows), by the rule of every
     * destination ({@link SchemaVersionGroups}): one, or one per schema version, oldest first. Only
     * then is each file opened again for its first record's position (the load job reads the files
     * itself otherwise).
     */
    static List<BatchPart> of(TableId table, List<BatchFile> files) throws IOException {
        List<BatchFile> withRows = files.stream().filter(f -> !f.isEmpty()).toList();
        List<BatchPart> parts = new ArrayList<>();
        for (List<BatchFile> group :
                SchemaVersionGroups.of(withRows, BatchFile::schema, f -> StagedFileReader.firstPositionOf(f.file()))) {
            parts.add(part(table, group));
        }
        return parts;
    }

    private static BatchPart part(TableId table, List<BatchFile> files) {
        List<TableSchema> schemas = files.stream().map(BatchFile::schema).toList();
        BatchColumns columns = BatchColumns.of(table, schemas);
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
        boolean hasUnchanged = files.stream().anyMatch(f -> f.avro().getField(AvroSchemas.UNCHANGED_FIELD) != null);
        Schema staged = StagedLayout.of(files.get(0).avro(), columns, fieldByColumn, hasUnchanged);
        boolean filesInStagedLayout = files.stream().allMatch(f -> f.avro().equals(staged));
        return new BatchPart(files, columns, staged, filesInStagedLayout, fieldOfColumn);
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
    boolean filesInStagedLayout() {
        return filesInStagedLayout;
    }

    /** Whether the staged rows have {@code _elt_unchanged} (files written before it existed lack it). */
    boolean hasUnchangedField() {
        return staged.getField(MetadataColumns.UNCHANGED) != null;
    }

    /** The staging table's name of {@code column}'s field. */
    String stagedField(String column) {
        return fieldOfColumn.get(column);
    }

    /** Whether BigQuery can load the files straight from Cloud Storage: all on gs://, in the staged layout. */
    boolean loadsFromCloudStorage() {
        return filesInStagedLayout && files.stream().allMatch(BatchFile::onCloudStorage);
    }

    /** The files' URIs. */
    List<String> uris() {
        return files.stream().map(f -> f.file().path()).toList();
    }
}
