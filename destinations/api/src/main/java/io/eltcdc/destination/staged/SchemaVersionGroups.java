package io.eltcdc.destination.staged;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a batch's files into groups that load together: one group when the files' schema versions
 * agree on every column's type (the usual case, also when columns were added), else one group per
 * schema version, in the order the versions first appear (a column's type changed in the source
 * within the checkpoint).
 */
public final class SchemaVersionGroups {
    private SchemaVersionGroups() {}

    public static List<List<StagedFileReader>> of(List<StagedFileReader> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        if (BatchColumns.columnTypesAgree(
                files.stream().map(StagedFileReader::schema).toList())) {
            return List.of(files);
        }
        Map<String, List<StagedFileReader>> byVersion = new LinkedHashMap<>();
        for (StagedFileReader file : files) {
            byVersion
                    .computeIfAbsent(file.schema().version(), v -> new ArrayList<>())
                    .add(file);
        }
        return new ArrayList<>(byVersion.values());
    }
}
