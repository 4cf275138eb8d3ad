package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link TableChecksums} of BigQuery: one query job per question, through the client (thread-safe),
 * on the target table the loader writes ({@code project.dataset.table} of {@link BigQueryNames}; the
 * dataset is {@code destination.dataset} or the source schema's). Key bounds are query parameters of
 * the key columns' types.
 */
final class BigQueryTableChecksums implements TableChecksums {
    private final BigQuery bigquery;
    private final String project;
    private final String destination;
    private final Function<io.eltcdc.model.TableId, String> datasetOf;
    private final BigQueryChecksumSql sql = new BigQueryChecksumSql();

    BigQueryTableChecksums(
            BigQuery bigquery,
            String project,
            String destination,
            Function<io.eltcdc.model.TableId, String> datasetOf) {
        this.bigquery = bigquery;
        this.project = project;
        this.destination = destination;
        this.datasetOf = datasetOf;
    }

    @Override
    public JsonForm jsonForm() {
        return sql.jsonForm();
    }

    @Override
    public String targetName(TableSchema table) {
        return datasetOf.apply(table.id()) + "."
                + BigQueryNames.table(table.id().table()) + " in " + destination;
    }

    @Override
    public RangeChecksum checksum(TableSchema table, KeyRange range) throws Exception {
        String live = liveRows(table);
        if (live == null) {
            return RangeChecksum.EMPTY;
        }
        List<FieldValueList> rows = run(table, checksumQuery(table, range, live), range);
        FieldValueList row = rows.get(0);
        return RangeChecksum.of(
                row.get(0).getLongValue(),
                row.get(1).isNull() ? null : row.get(1).getStringValue());
    }

    @Override
    public List<RowHash> rowHashes(TableSchema table, KeyRange range, int limit) throws Exception {
        String live = liveRows(table);
        List<RowHash> out = new ArrayList<>();
        if (live == null) {
            return out;
        }
        for (FieldValueList row : run(table, rowHashesQuery(table, range, live, limit), range)) {
            out.add(new RowHash(
                    row.get(0).getStringValue(), new BigInteger(row.get(1).getStringValue()).longValue()));
        }
        return out;
    }

    /** {@code SELECT COUNT(*), sum} of the range's live rows. */
    String checksumQuery(TableSchema table, KeyRange range, String live) {
        return "SELECT COUNT(*), " + sql.asText("SUM(" + sql.rowHash(table) + ")") + " FROM "
                + from(table, range, live);
    }

    /** Keys and hashes of the range's first {@code limit} live rows, in key order. */
    String rowHashesQuery(TableSchema table, KeyRange range, String live, int limit) {
        String order = String.join(
                ", ",
                table.keyColumns().stream()
                        .map(k -> BigQueryNames.quote(BigQueryNames.column(k)))
                        .toList());
        return "SELECT " + sql.keyText(table) + ", " + sql.asText(sql.rowHash(table)) + " FROM "
                + from(table, range, live) + (table.hasKey() ? " ORDER BY " + order : "") + " LIMIT " + limit;
    }

    /**
     * The condition of the target's rows that count ({@code TRUE}, or not soft-deleted), or null when
     * the table does not exist.
     *
     * @throws IllegalStateException when the table lacks a column of the source (not loaded yet)
     */
    private String liveRows(TableSchema table) throws Exception {
        TableId id = TableId.of(
                project,
                datasetOf.apply(table.id()),
                BigQueryNames.table(table.id().table()));
        Table target;
        try {
            target = bigquery.getTable(id);
        } catch (RuntimeException e) {
            throw failure(table, e);
        }
        if (target == null || target.getDefinition() == null) {
            return null;
        }
        Schema schema = target.getDefinition().getSchema();
        Set<String> columns = new HashSet<>();
        if (schema != null) {
            for (Field field : schema.getFields()) {
                columns.add(field.getName().toLowerCase(Locale.ROOT));
            }
        }
        for (Column column : table.columns()) {
            if (!columns.contains(BigQueryNames.column(column.name()).toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException(targetName(table) + " has no column '" + column.name()
                        + "' (not loaded yet: verify again once the pipeline has loaded the table's changes)");
            }
        }
        return columns.contains(MetadataColumns.DELETED)
                ? "NOT COALESCE(" + BigQueryNames.quote(MetadataColumns.DELETED) + ", FALSE)"
                : "TRUE";
    }

    /** {@code `p`.`d`.`t` WHERE …}: the live rows in {@code range}, bounds as parameters {@code @lo0}, {@code @hi0}, …. */
    private String from(TableSchema table, KeyRange range, String live) {
        List<String> conditions = new ArrayList<>(List.of(live));
        if (range.lower() != null) {
            conditions.add("(" + lexicographic(table, ">", ">", "lo") + ")");
        }
        if (range.upper() != null) {
            conditions.add("(" + lexicographic(table, "<", "<=", "hi") + ")");
        }
        return BigQueryNames.qualified(
                        project,
                        datasetOf.apply(table.id()),
                        BigQueryNames.table(table.id().table())) + " WHERE " + String.join(" AND ", conditions);
    }

    /** {@code k1 op @p0 OR (k1 = @p0 AND (… kn last @pn))}. */
    private static String lexicographic(TableSchema table, String op, String last, String prefix) {
        StringBuilder condition = new StringBuilder();
        int n = table.keyColumns().size();
        for (int part = 0; part < n; part++) {
            String name =
                    BigQueryNames.quote(BigQueryNames.column(table.keyColumns().get(part)));
            String parameter = "@" + prefix + part;
            if (part == n - 1) {
                condition.append(name).append(' ').append(last).append(' ').append(parameter);
            } else {
                condition
                        .append('(')
                        .append(name)
                        .append(' ')
                        .append(op)
                        .append(' ')
                        .append(parameter);
                condition
                        .append(" OR (")
                        .append(name)
                        .append(" = ")
                        .append(parameter)
                        .append(" AND ");
            }
        }
        return condition.append(")".repeat(2 * (n - 1))).toString();
    }

    /** The range's bounds as named parameters. */
    static Map<String, QueryParameterValue> parameters(TableSchema table, KeyRange range) {
        Map<String, QueryParameterValue> out = new LinkedHashMap<>();
        String[] prefixes = {"lo", "hi"};
        Object[][] bounds = {range.lower(), range.upper()};
        for (int b = 0; b < 2; b++) {
            if (bounds[b] == null) {
                continue;
            }
            for (int part = 0; part < bounds[b].length; part++) {
                Column column = table.columns().get(table.keyIndex(part));
                out.put(prefixes[b] + part, parameter(column, bounds[b][part]));
            }
        }
        return out;
    }

    private static QueryParameterValue parameter(Column column, Object value) {
        return switch (column.type()) {
            case INT32, INT64 -> QueryParameterValue.int64(((Number) value).longValue());
            case FLOAT32, FLOAT64 -> QueryParameterValue.float64(((Number) value).doubleValue());
            case BOOLEAN -> QueryParameterValue.bool((Boolean) value);
            case DECIMAL ->
                BigQueryType.of(column).name() == com.google.cloud.bigquery.StandardSQLTypeName.NUMERIC
                        ? QueryParameterValue.numeric((BigDecimal) value)
                        : QueryParameterValue.bigNumeric((BigDecimal) value);
            case BYTES -> QueryParameterValue.bytes((byte[]) value);
            case DATE -> QueryParameterValue.date(value.toString());
            case TIME -> QueryParameterValue.time(value.toString());
            case TIMESTAMP -> QueryParameterValue.dateTime(value.toString());
            case TIMESTAMP_TZ -> QueryParameterValue.timestamp(micros((Instant) value));
            default -> QueryParameterValue.string(value.toString());
        };
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private List<FieldValueList> run(TableSchema table, String query, KeyRange range) throws Exception {
        QueryJobConfiguration config = QueryJobConfiguration.newBuilder(query)
                .setUseLegacySql(false)
                .setNamedParameters(parameters(table, range))
                .build();
        try {
            TableResult result = bigquery.query(config);
            List<FieldValueList> rows = new ArrayList<>();
            result.iterateAll().forEach(rows::add);
            return rows;
        } catch (RuntimeException e) {
            throw failure(table, e);
        }
    }

    private IllegalStateException failure(TableSchema table, Exception e) {
        return new IllegalStateException(
                targetName(table) + ": " + BigQueryFaults.classified(e).getMessage(), e);
    }
}
