package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.MergeRules;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.SchemaVersionGroups;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits a batch's files into the parts that load together ({@link SnowflakeBatchPart}) by the rule
 * of every destination ({@link SchemaVersionGroups}): one part when the files' schema versions agree
 * on every column's type (also when columns were added), else one part per schema version, oldest
 * first (a column's type changed within the batch). Within a part, each layout a file was written
 * with has a raw table of its own.
 */
final class SnowflakeBatchPlan {
    private SnowflakeBatchPlan() {}

    /**
     * A load file: the schema the batch sees it with (columns the source renamed carry their new
     * names), the schema its staged file was written with (its Avro field names), its name relative
     * to the stage, and the position of its first record (null when it has none).
     */
    record FileOfVersion(TableSchema schema, TableSchema written, String relativeName, Position firstPosition) {
        /** A file whose columns were not renamed. */
        FileOfVersion(TableSchema schema, String relativeName, Position firstPosition) {
            this(schema, schema, relativeName, firstPosition);
        }
    }

    /**
     * @param names how target tables and their columns are named; the files' schemas (not the
     *     schemas they were written with) have their columns named so already
     */
    static List<SnowflakeBatchPart> of(
            TableId table, TargetTable target, DeleteMode deleteMode, SnowflakeNames names, List<FileOfVersion> files) {
        return of(table, target, columns -> deleteMode, names, files);
    }

    /**
     * The parts of {@code batch}, each merging in the batch's delete mode ({@link MergeRules#deleteModeOf}
     * of the configured {@code deleteMode}: tombstones in hard-delete mode while the table's snapshot is
     * incomplete).
     */
    static List<SnowflakeBatchPart> of(
            LoadBatch batch,
            TargetTable target,
            DeleteMode deleteMode,
            SnowflakeNames names,
            List<FileOfVersion> files) {
        return of(
                batch.table(),
                target,
                columns -> MergeRules.deleteModeOf(deleteMode, batch, columns.hasKey()),
                names,
                files);
    }

    private static List<SnowflakeBatchPart> of(
            TableId table,
            TargetTable target,
            Function<BatchColumns, DeleteMode> modeOf,
            SnowflakeNames names,
            List<FileOfVersion> files) {
        List<List<FileOfVersion>> parts;
        try {
            parts = SchemaVersionGroups.of(files, FileOfVersion::schema, FileOfVersion::firstPosition);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown: the first positions were read with the files
        }
        List<SnowflakeBatchPart> out = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            SnowflakeSql dialect = new SnowflakeSql(p, names);
            // One raw table per layout: files written before a rename have the former field names.
            List<List<FileOfVersion>> partVersions = SchemaVersionGroups.byVersion(
                    parts.get(p),
                    f -> f.written().version() + "\u0000" + f.schema().version());
            BatchColumns columns = BatchColumns.of(
                    table, partVersions.stream().map(v -> v.get(0).schema()).toList());
            List<SnowflakeBatchPart.VersionFiles> versionFiles = new ArrayList<>();
            for (int v = 0; v < partVersions.size(); v++) {
                List<FileOfVersion> group = partVersions.get(v);
                versionFiles.add(new SnowflakeBatchPart.VersionFiles(
                        new AvroRawTable(
                                dialect, group.get(0).schema(), group.get(0).written(), v),
                        group.stream().map(FileOfVersion::relativeName).toList()));
            }
            out.add(new SnowflakeBatchPart(
                    new MergeSql(dialect, target, columns, modeOf.apply(columns)), dialect, versionFiles));
        }
        return out;
    }
}
