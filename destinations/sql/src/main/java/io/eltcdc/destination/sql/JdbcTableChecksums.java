package io.eltcdc.destination.sql;

import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link TableChecksums} of a JDBC destination (DuckDB, PostgreSQL, Snowflake, Redshift): one query per question, on a
 * connection opened for it and closed after (DuckDB's file is then free for the pipeline's loads
 * between two questions). Key ranges are compared column by column ({@code a > ? OR (a = ? AND b > ?)}),
 * each bound value cast to the target column's type.
 */
public final class JdbcTableChecksums implements TableChecksums {

    /** Opens a connection to the destination (read-only where the database allows it). */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws Exception;
    }

    private final String destination;
    private final ChecksumDialect dialect;
    private final DestinationChecksumSql sql;
    private final Opener opener;
    private final String schemaOverride;
    private final String secret;

    /**
     * @param destination how messages name the destination (never with a password)
     * @param schemaOverride the schema of every target table, or null for the source's schema
     * @param secret a password to keep out of error messages, or null
     */
    public JdbcTableChecksums(
            String destination, ChecksumDialect dialect, Opener opener, String schemaOverride, String secret) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.sql = Objects.requireNonNull(dialect.checksumSql(), "the dialect's checksumSql");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.schemaOverride = schemaOverride;
        this.secret = secret;
    }

    @Override
    public JsonForm jsonForm() {
        return dialect.jsonForm();
    }

    @Override
    public String targetName(TableSchema table) {
        return TargetTable.of(null, table.id(), schemaOverride) + " in " + destination;
    }

    @Override
    public RangeChecksum checksum(TableSchema table, KeyRange range) throws Exception {
        try (Connection c = opener.open()) {
            Target target = target(c, table);
            if (target == null) {
                return RangeChecksum.EMPTY;
            }
            String query = "SELECT count(*), " + sql.asText("sum(" + sql.rowHash(table) + ")") + " FROM "
                    + from(target, table, range);
            try (PreparedStatement ps = c.prepareStatement(query)) {
                bind(ps, table, range);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return RangeChecksum.of(rs.getLong(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw failure(table, e);
        }
    }

    @Override
    public List<RowHash> rowHashes(TableSchema table, KeyRange range, int limit) throws Exception {
        List<RowHash> rows = new ArrayList<>();
        try (Connection c = opener.open()) {
            Target target = target(c, table);
            if (target == null) {
                return rows;
            }
            String query = "SELECT " + sql.keyText(table) + ", " + sql.asText(sql.rowHash(table)) + " FROM "
                    + from(target, table, range) + (table.hasKey() ? " ORDER BY " + keyOrder(table) : "") + " LIMIT "
                    + limit;
            try (PreparedStatement ps = c.prepareStatement(query)) {
                bind(ps, table, range);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new RowHash(rs.getString(1), new BigInteger(rs.getString(2)).longValue()));
                    }
                }
            }
        } catch (SQLException e) {
            throw failure(table, e);
        }
        return rows;
    }

    private IllegalStateException failure(TableSchema table, SQLException e) {
        return new IllegalStateException(
                targetName(table) + ": " + LoadException.scrub(LoadException.describe(e), secret), e);
    }

    /** The target table and what its rows are filtered by, or null when it does not exist. */
    private Target target(Connection c, TableSchema table) throws SQLException {
        TargetTable t = TargetTable.of(dialect.catalog(c), table.id(), schemaOverride);
        String schema = dialect.identifier(t.schema());
        String name = dialect.identifier(t.table());
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(dialect.columnsQuery())) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        for (Column column : table.columns()) {
            if (!columns.contains(dialect.identifier(column.name()))) {
                throw new IllegalStateException(targetName(table) + " has no column '" + column.name()
                        + "' (not loaded yet: verify again once the pipeline has loaded the table's changes)");
            }
        }
        String deleted = dialect.identifier(MetadataColumns.DELETED);
        return new Target(
                new TargetTable(t.catalog(), schema, name).sql(),
                columns.contains(deleted) ? "NOT COALESCE(" + SqlIdentifiers.quote(deleted) + ", FALSE)" : null);
    }

    /** A target table as SQL, and the condition of its rows that count (soft-deleted rows do not). */
    private record Target(String table, String liveRows) {}

    /** {@code "t" WHERE …}: the target's live rows in {@code range}; parameters bound by {@link #bind}. */
    private String from(Target target, TableSchema table, KeyRange range) {
        List<String> conditions = new ArrayList<>();
        if (target.liveRows() != null) {
            conditions.add(target.liveRows());
        }
        if (range.lower() != null) {
            conditions.add("(" + lexicographic(table, ">", ">") + ")");
        }
        if (range.upper() != null) {
            conditions.add("(" + lexicographic(table, "<", "<=") + ")");
        }
        return target.table() + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    }

    /** {@code k1 op ? OR (k1 = ? AND (… kn last ?))}: the key compared column by column, in key order. */
    private String lexicographic(TableSchema table, String op, String last) {
        StringBuilder condition = new StringBuilder();
        int n = table.keyColumns().size();
        for (int part = 0; part < n; part++) {
            Column column = table.columns().get(table.keyIndex(part));
            String name = SqlIdentifiers.quote(dialect.identifier(column.name()));
            String parameter = "CAST(? AS " + dialect.columnType(column) + ")";
            if (part == n - 1) {
                condition.append(name).append(' ').append(last).append(' ').append(parameter);
            } else {
                condition
                        .append('(')
                        .append(name)
                        .append(' ')
                        .append(op)
                        .append(' ')
                        .append(parameter)
                        .append(" OR (")
                        .append(name)
                        .append(" = ")
                        .append(parameter)
                        .append(" AND ");
            }
        }
        return condition.append(")".repeat(2 * (n - 1))).toString();
    }

    /** Binds the bounds of {@link #from}'s conditions: each key part twice but the last. */
    private static void bind(PreparedStatement ps, TableSchema table, KeyRange range) throws SQLException {
        int index = 1;
        for (Object[] bound : new Object[][] {range.lower(), range.upper()}) {
            if (bound == null) {
                continue;
            }
            for (int part = 0; part < bound.length; part++) {
                Column column = table.columns().get(table.keyIndex(part));
                bindValue(ps, index++, column, bound[part]);
                if (part < bound.length - 1) {
                    bindValue(ps, index++, column, bound[part]);
                }
            }
        }
    }

    /** A key value as the planner read it; temporal values and uuids as text, cast by the query. */
    private static void bindValue(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        switch (column.type()) {
            case INT32 -> ps.setInt(index, (Integer) value);
            case INT64 -> ps.setLong(index, (Long) value);
            case FLOAT32 -> ps.setFloat(index, (Float) value);
            case FLOAT64 -> ps.setDouble(index, (Double) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case BYTES -> ps.setBytes(index, (byte[]) value);
            case TIMESTAMP_TZ -> ps.setString(index, ((Instant) value).toString());
            default -> ps.setString(index, value.toString());
        }
    }

    private String keyOrder(TableSchema table) {
        return String.join(
                ", ",
                table.keyColumns().stream()
                        .map(k -> SqlIdentifiers.quote(dialect.identifier(k)))
                        .toList());
    }
}
