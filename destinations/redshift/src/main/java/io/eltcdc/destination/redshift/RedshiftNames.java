package io.eltcdc.destination.redshift;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names in Redshift: every schema, table and column name is lower-cased (ASCII letters, as Redshift
 * folds them) before it is quoted. Redshift folds even quoted identifiers to lower case unless a
 * session sets {@code enable_case_sensitive_identifier}; writing them lower-case ourselves keeps
 * the catalog lookups ({@code information_schema}) and every statement agreeing whatever that
 * setting is. Names that become equal when lower-cased ({@code Id} and {@code id}) would be one
 * column: that is refused with a clear error rather than merging two columns' values.
 */
public final class RedshiftNames {
    /** Redshift's limit for identifiers, in bytes of UTF-8. */
    static final int MAX_IDENTIFIER_BYTES = 127;
    /** The marker column of rows with a truncated value ({@link LongStrings#TRUNCATE}). */
    public static final String TRUNCATED = "_elt_truncated";

    private RedshiftNames() {}

    /** {@code name} with ASCII letters lower-cased. */
    public static String fold(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(name);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        String folded = out == null ? name : out.toString();
        if (folded.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("the name '" + name + "' is longer than Redshift's limit of "
                    + MAX_IDENTIFIER_BYTES + " bytes for identifiers; rename it in the source or leave the table out");
        }
        return folded;
    }

    /** The target table of {@code source} (or of its name in {@code schemaOverride}), lower-cased. */
    public static TargetTable target(TableId source, String schemaOverride) {
        TargetTable exact = TargetTable.of(null, source, schemaOverride);
        return new TargetTable(null, fold(exact.schema()), fold(exact.table()));
    }

    /**
     * {@code schema} with lower-cased column and key names (same order, so column indexes are
     * unchanged); the table id stays as the source names it.
     *
     * @throws IllegalArgumentException if two columns have the same lower-cased name, or a column is
     *     named like Redshift's marker column
     */
    public static TableSchema fold(TableSchema schema) {
        Map<String, String> seen = new HashMap<>();
        List<Column> columns = new ArrayList<>(schema.columns().size());
        for (Column column : schema.columns()) {
            String folded = fold(column.name());
            String other = seen.putIfAbsent(folded, column.name());
            if (other != null) {
                throw collision(schema.id(), other, column.name());
            }
            if (folded.equals(TRUNCATED)) {
                throw new IllegalArgumentException("column '" + column.name() + "' of " + schema.id()
                        + " has the name of the metadata column " + TRUNCATED + "; rename it in the source");
            }
            columns.add(new Column(
                    folded, column.type(), column.precision(), column.scale(), column.nullable(), column.sourceType()));
        }
        List<String> key = schema.keyColumns().stream().map(RedshiftNames::fold).toList();
        Map<String, String> renamedFrom = new HashMap<>();
        schema.renamedFrom().forEach((now, former) -> {
            if (!fold(now).equals(fold(former))) { // a change of case only is no rename in Redshift
                renamedFrom.put(fold(now), fold(former));
            }
        });
        return new TableSchema(schema.id(), columns, key, renamedFrom);
    }

    /**
     * Checks that the columns of several schema versions of one table do not collide when
     * lower-cased (two columns {@code Name} and {@code name} in different versions), unless the
     * source renamed one to the other (then they are one column in Redshift).
     */
    static void checkNoCollisions(TableId table, List<TableSchema> versions) {
        Map<String, String> seen = new HashMap<>();
        Map<String, String> renamedFrom = new HashMap<>();
        versions.forEach(v -> renamedFrom.putAll(v.renamedFrom()));
        for (TableSchema version : versions) {
            for (Column column : version.columns()) {
                String other = seen.putIfAbsent(fold(column.name()), column.name());
                boolean renamed = other != null
                        && (other.equals(renamedFrom.get(column.name()))
                                || column.name().equals(renamedFrom.get(other))); // a change of case: one column
                if (other != null && !other.equals(column.name()) && !renamed) {
                    throw collision(table, other, column.name());
                }
            }
        }
    }

    private static IllegalArgumentException collision(TableId table, String a, String b) {
        return new IllegalArgumentException("columns '" + a + "' and '" + b + "' of " + table
                + " are one column in Redshift, which folds names to lower case; rename one of them in the source"
                + " or leave the table out of the pipeline");
    }

    /** Whether {@code column} is one of the metadata columns Redshift target tables may have. */
    static boolean isMetadata(String column) {
        return MetadataColumns.isMetadata(column) || column.equals(TRUNCATED);
    }
}
