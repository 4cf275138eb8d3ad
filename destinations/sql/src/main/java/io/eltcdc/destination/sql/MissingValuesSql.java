package io.eltcdc.destination.sql;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.StagedRows;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement of a {@link MergeSql} that fills in the values its winners lack before the merge:
 * columns the source did not send (PostgreSQL's unchanged TOAST values) and, in soft-delete mode,
 * the columns of a DELETE. A value comes from the latest earlier record of the key in the batch
 * that carried one, else from the target row (see {@link MergeRules}).
 */
final class MissingValuesSql {
    private MissingValuesSql() {}

    /** See {@link MergeSql#resolveMissingValues}. */
    static String of(MergeSql sql, SqlDialect dialect, MergeRules rules, boolean soft, StagedRows staged) {
        boolean softDeletes = soft && staged.hasDeletes();
        List<Integer> unchanged = staged.unchangedColumns();
        List<Integer> columns = rules.columnsToResolve(sql.batch(), staged);
        if (columns.isEmpty()) {
            return null;
        }
        boolean fill = !staged.keysDistinct(); // a key's winner may follow records of the key that have the values
        String position = sql.quote(MetadataColumns.POSITION);
        List<String> key = sql.batch().key();

        List<String> set = new ArrayList<>();
        List<String> resolvedColumns = new ArrayList<>();
        List<String> fillColumns = new ArrayList<>();
        for (int i : columns) {
            String column = sql.quote(sql.batch().columns().get(i).name());
            String targetValue = sql.quote("_elt_t_" + i);
            String has = sql.quote("_elt_has_" + i);
            String value = sql.quote("_elt_v_" + i);
            String resolved = fill
                    ? "CASE WHEN r." + has + " THEN r." + value + " ELSE r." + targetValue + " END"
                    : "r." + targetValue;
            set.add(column + " = CASE WHEN " + rules.lacks("w", i, softDeletes, unchanged.contains(i)) + " THEN "
                    + resolved
                    + " ELSE w." + column + " END");
            resolvedColumns.add("t." + column + " AS " + targetValue);
            if (fill) {
                String carries = rules.carries("s", i, unchanged.contains(i));
                fillColumns.add(dialect.anyOf(carries) + " AS " + has);
                fillColumns.add(dialect.latestValue("s." + column, "s." + position, carries) + " AS " + value);
            }
        }
        StringBuilder r = new StringBuilder("SELECT ")
                .append(sql.list("w2", key))
                .append(", ")
                .append(String.join(", ", resolvedColumns));
        if (fill) {
            r.append(", ").append(sql.list("f", fillColumnNames(columns)));
        }
        r.append(" FROM ")
                .append(sql.winnersTable())
                .append(" AS w2 LEFT JOIN ")
                .append(sql.target().sql())
                .append(" AS t ON ")
                .append(sql.keyMatch("t", "w2"));
        if (fill) {
            r.append(" LEFT JOIN (SELECT ")
                    .append(sql.list("s", key))
                    .append(", ")
                    .append(String.join(", ", fillColumns))
                    .append(" FROM ")
                    .append(sql.stageTable())
                    .append(" AS s JOIN ")
                    .append(sql.winnersTable())
                    .append(" AS w3 ON ")
                    .append(sql.keyMatch("s", "w3"))
                    .append(" LEFT JOIN ")
                    .append(sql.target().sql())
                    .append(" AS t3 ON ")
                    .append(sql.keyMatch("t3", "s"))
                    .append(" WHERE ")
                    .append(rules.lacksAny("w3", softDeletes, !unchanged.isEmpty()))
                    .append(" AND ")
                    .append(rules.isNotDelete("s"))
                    .append(" AND s.")
                    .append(position)
                    .append(" < w3.")
                    .append(position)
                    .append(" AND ")
                    .append(rules.older("t3", "s"))
                    .append(" GROUP BY ")
                    .append(sql.list("s", key))
                    .append(") AS f ON ")
                    .append(sql.keyMatch("f", "w2"));
        }
        r.append(" WHERE ").append(rules.lacksAny("w2", softDeletes, !unchanged.isEmpty()));
        return "UPDATE " + sql.winnersTable() + " AS w SET " + String.join(", ", set) + " FROM (" + r + ") AS r WHERE "
                + sql.keyMatch("w", "r");
    }

    private static List<String> fillColumnNames(List<Integer> columns) {
        List<String> names = new ArrayList<>();
        for (int i : columns) {
            names.add("_elt_has_" + i);
            names.add("_elt_v_" + i);
        }
        return names;
    }
}
