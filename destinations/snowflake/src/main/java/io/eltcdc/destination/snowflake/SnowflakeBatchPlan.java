package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a batch's files into the parts that load together ({@link SnowflakeBatchPart}): one part
 * when the files' schema versions agree on every column's type (also when columns were added),
 * else one part per schema version, in the order the versions first appear (a column's type
 * changed within the batch; the merge by position makes the order of the parts irrelevant).
 * Within a part, each schema version has a raw table of its own.
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
     * @param names how target tables and their columns are named; the files' schemas (not the
     *     schemas they were written with) have their columns named so already
     */
    static List<SnowflakeBatchPart> of(
            TableId table, TargetTable target, DeleteMode deleteMode, SnowflakeNames names, List<FileOfVersion> files) {
        Map<String, List<FileOfVersion>> byVersion = new LinkedHashMap<>();
        for (FileOfVersion file : files) {
            byVersion
                    .computeIfAbsent(
                            file.written().version() + "\u0000" + file.schema().version(), v -> new ArrayList<>())
                    .add(file);
        }
        List<List<List<FileOfVersion>>> parts = new ArrayList<>();
        List<List<FileOfVersion>> versions = new ArrayList<>(byVersion.values());
        if (typesAgree(versions)) {
            parts.add(versions);
        } else {
            versions.forEach(v -> parts.add(List.of(v)));
        }
        List<SnowflakeBatchPart> out = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            SnowflakeSql dialect = new SnowflakeSql(p, names);
            List<List<FileOfVersion>> partVersions = parts.get(p);
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
            out.add(new SnowflakeBatchPart(new MergeSql(dialect, target, columns, deleteMode), dialect, versionFiles));
        }
        return out;
    }

    /** Whether every column the versions share has one type in all of them. */
    private static boolean typesAgree(List<List<FileOfVersion>> versions) {
        Map<String, String> types = new HashMap<>();
        for (List<FileOfVersion> version : versions) {
            for (Column column : version.get(0).schema().columns()) {
                String seen = types.putIfAbsent(column.name(), column.typeText());
                if (seen != null && !seen.equals(column.typeText())) {
                    return false;
                }
            }
        }
        return true;
    }
}
