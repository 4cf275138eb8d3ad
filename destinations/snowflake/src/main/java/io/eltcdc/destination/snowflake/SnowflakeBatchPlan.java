package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.SchemaVersionGroups;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
     * A staged file: the schema the batch sees it with (columns the source renamed carry their new
     * names), the schema it was written with (its Avro field names), and its name relative to the stage.
     */
    record FileOfVersion(TableSchema schema, TableSchema written, String relativeName) {
        /** A file whose columns were not renamed. */
        FileOfVersion(TableSchema schema, String relativeName) {
            this(schema, schema, relativeName);
        }
    }

    /**
     * @param firstPosition the position of a file's first record, asked only when the batch loads in
     *     several parts (COPY reads the files otherwise)
     */
    static List<SnowflakeBatchPart> of(
            TableId table,
            TargetTable target,
            DeleteMode deleteMode,
            List<FileOfVersion> files,
            SchemaVersionGroups.FirstPosition<FileOfVersion> firstPosition)
            throws IOException {
        List<List<FileOfVersion>> parts = SchemaVersionGroups.of(files, FileOfVersion::schema, firstPosition);
        List<SnowflakeBatchPart> out = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            SnowflakeSql dialect = new SnowflakeSql(p);
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
            out.add(new SnowflakeBatchPart(new MergeSql(dialect, target, columns, deleteMode), versionFiles));
        }
        return out;
    }
}
