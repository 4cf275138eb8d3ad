package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only {@link Connection} over the BigQuery client, for the contract suite, which reads its
 * results through JDBC and there is no BigQuery JDBC driver here. Only what the suite calls is
 * there ({@code prepareStatement}/{@code createStatement}, {@code executeQuery}, {@code execute}
 * for DDL, and the {@code ResultSet} getters); anything else throws
 * {@link SQLFeatureNotSupportedException}.
 *
 * <p>The suite's SQL is translated: {@code "schema"."table"} becomes the BigQuery dataset and table
 * the destination made of them ({@link BigQueryNames}), {@code "column"} its BigQuery column,
 * {@code information_schema.columns/tables} the region's INFORMATION_SCHEMA views. Values come
 * back as the suite's JDBC drivers give them: INT64 columns that hold an INT32 (the column
 * description says so) as Integer, FLOAT64 of a FLOAT32 as Float, decimals with their column's
 * scale (BigQuery does not keep trailing zeros), TIMESTAMP as Instant.
 */
final class BigQueryJdbc {
    private static final Pattern QUALIFIED = Pattern.compile("\"((?:[^\"]|\"\")*)\"\\.\"((?:[^\"]|\"\")*)\"");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")*)\"");
    private static final Pattern FROM = Pattern.compile(
            "FROM\\s+(\"(?:[^\"]|\"\")*\"\\.\"(?:[^\"]|\"\")*\"|\\w+\\.\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ELT_TYPE = Pattern.compile("elt-cdc type: (\\w+)");

    private final BigQuery bigquery;
    private final String project;
    private final String location;

    private BigQueryJdbc(BigQuery bigquery, String project, String location) {
        this.bigquery = bigquery;
        this.project = project;
        this.location = location;
    }

    static Connection connect(BigQuery bigquery, String project, String location) {
        BigQueryJdbc jdbc = new BigQueryJdbc(bigquery, project, location);
        return proxy(Connection.class, (p, method, args) -> switch (method.getName()) {
            case "prepareStatement" -> jdbc.statement(PreparedStatement.class, (String) args[0]);
            case "createStatement" -> jdbc.statement(Statement.class, null);
            case "close" -> null;
            case "isClosed" -> false;
            case "getAutoCommit" -> true;
            case "unwrap", "isWrapperFor" -> throw new SQLFeatureNotSupportedException(method.getName());
            default -> unsupported(method.getName());
        });
    }

    /** The suite's SQL in GoogleSQL. */
    String translate(String sql) {
        String out = replace(
                QUALIFIED,
                sql,
                m -> BigQueryNames.quote(project) + "."
                        + BigQueryNames.quote(BigQueryNames.dataset(unquote(m.group(1)))) + "."
                        + BigQueryNames.quote(BigQueryNames.table(unquote(m.group(2)))));
        out = replace(QUOTED, out, m -> BigQueryNames.quote(BigQueryNames.column(unquote(m.group(1)))));
        String region = "`region-" + location.toLowerCase(Locale.ROOT) + "`.INFORMATION_SCHEMA.";
        return out.replaceAll("(?i)information_schema\\.columns", region + "COLUMNS")
                .replaceAll("(?i)information_schema\\.tables", region + "TABLES");
    }

    private <T extends Statement> T statement(Class<T> type, String prepared) {
        return proxy(type, (p, method, args) -> switch (method.getName()) {
            case "executeQuery" -> query(prepared != null ? prepared : (String) args[0]);
            case "execute" -> {
                run(translate((String) args[0]));
                yield false;
            }
            case "close" -> null;
            case "isClosed" -> false;
            default -> unsupported(method.getName());
        });
    }

    private TableResult run(String sql) throws SQLException {
        try {
            return bigquery.query(
                    QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).build());
        } catch (Exception e) {
            throw new SQLException(e.getMessage() + " (SQL: " + sql + ")", e);
        }
    }

    private ResultSet query(String sql) throws SQLException {
        TableResult result = run(translate(sql));
        Map<String, Field> tableFields = tableFields(sql);
        List<Field> fields = result.getSchema().getFields();
        List<Object[]> rows = new ArrayList<>();
        for (FieldValueList row : result.iterateAll()) {
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                values[i] = value(
                        row.get(i),
                        fields.get(i),
                        tableFields.get(fields.get(i).getName().toLowerCase(Locale.ROOT)));
            }
            rows.add(values);
        }
        return resultSet(fields.size(), rows);
    }

    /** The fields of the table the query reads (its first FROM), by lower-case name; empty when none. */
    private Map<String, Field> tableFields(String sql) {
        Map<String, Field> out = new HashMap<>();
        Matcher from = FROM.matcher(sql);
        if (!from.find() || from.group(1).toLowerCase(Locale.ROOT).startsWith("information_schema")) {
            return out;
        }
        String name = from.group(1);
        Matcher qualified = QUALIFIED.matcher(name);
        TableId id = qualified.matches()
                ? TableId.of(
                        project,
                        BigQueryNames.dataset(unquote(qualified.group(1))),
                        BigQueryNames.table(unquote(qualified.group(2))))
                : TableId.of(project, name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
        Table table = bigquery.getTable(id);
        if (table != null && table.getDefinition().getSchema() != null) {
            for (Field field : table.getDefinition().getSchema().getFields()) {
                out.put(field.getName().toLowerCase(Locale.ROOT), field);
            }
        }
        return out;
    }

    /** A value as the suite's JDBC drivers give it. */
    private static Object value(FieldValue value, Field field, Field column) {
        if (value.isNull()) {
            return null;
        }
        String eltType = null;
        if (column != null && column.getDescription() != null) {
            Matcher m = ELT_TYPE.matcher(column.getDescription());
            eltType = m.find() ? m.group(1) : null;
        }
        LegacySQLTypeName type = field.getType();
        if (type == LegacySQLTypeName.INTEGER) {
            return "INT32".equals(eltType) ? (Object) (int) value.getLongValue() : (Object) value.getLongValue();
        }
        if (type == LegacySQLTypeName.FLOAT) {
            return "FLOAT32".equals(eltType)
                    ? (Object) (float) value.getDoubleValue()
                    : (Object) value.getDoubleValue();
        }
        if (type == LegacySQLTypeName.BOOLEAN) {
            return value.getBooleanValue();
        }
        if (type == LegacySQLTypeName.NUMERIC || type == LegacySQLTypeName.BIGNUMERIC) {
            BigDecimal number = value.getNumericValue();
            Long scale = column == null ? null : column.getScale();
            return scale == null ? number : number.setScale(scale.intValue());
        }
        if (type == LegacySQLTypeName.BYTES) {
            return value.getBytesValue();
        }
        if (type == LegacySQLTypeName.TIMESTAMP) {
            return value.getTimestampInstant();
        }
        if (type == LegacySQLTypeName.DATE) {
            return LocalDate.parse(value.getStringValue());
        }
        if (type == LegacySQLTypeName.TIME) {
            return LocalTime.parse(value.getStringValue());
        }
        if (type == LegacySQLTypeName.DATETIME) {
            return LocalDateTime.parse(value.getStringValue().replace(' ', 'T'));
        }
        return value.getStringValue(); // STRING, JSON
    }

    private static ResultSet resultSet(int width, List<Object[]> rows) {
        int[] at = {-1};
        ResultSetMetaData metadata = proxy(ResultSetMetaData.class, (p, method, args) -> switch (method.getName()) {
            case "getColumnCount" -> width;
            default -> unsupported(method.getName());
        });
        return proxy(ResultSet.class, (p, method, args) -> {
            String name = method.getName();
            switch (name) {
                case "next":
                    return ++at[0] < rows.size();
                case "close":
                    return null;
                case "getMetaData":
                    return metadata;
                default:
                    break;
            }
            if (!name.startsWith("get") || args == null || !(args[0] instanceof Integer)) {
                return unsupported(name);
            }
            Object v = rows.get(at[0])[(Integer) args[0] - 1];
            return switch (name) {
                case "getObject" -> args.length == 1 ? v : convert(v, (Class<?>) args[1]);
                case "getString" -> v == null ? null : v instanceof byte[] ? new String((byte[]) v) : v.toString();
                case "getInt" -> v == null ? 0 : ((Number) v).intValue();
                case "getLong" -> v == null ? 0L : ((Number) v).longValue();
                case "getFloat" -> v == null ? 0f : ((Number) v).floatValue();
                case "getDouble" -> v == null ? 0d : ((Number) v).doubleValue();
                case "getBoolean" -> v != null && (Boolean) v;
                case "getBigDecimal" -> (BigDecimal) v;
                case "getBytes" -> (byte[]) v;
                default -> unsupported(name);
            };
        });
    }

    private static Object convert(Object v, Class<?> type) throws SQLException {
        if (v == null || type.isInstance(v)) {
            return v;
        }
        if (type == OffsetDateTime.class && v instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (type == Integer.class && v instanceof Number n) {
            return n.intValue();
        }
        throw new SQLException("cannot read " + v.getClass().getSimpleName() + " as " + type.getSimpleName());
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        return m.appendTail(out).toString();
    }

    private static String unquote(String quoted) {
        return quoted.replace("\"\"", "\"");
    }

    private static Object unsupported(String method) throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException(method + " is not part of the read-only BigQuery test connection");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(BigQueryJdbc.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
