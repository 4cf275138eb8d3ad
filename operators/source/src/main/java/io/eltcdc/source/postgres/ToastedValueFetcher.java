package io.eltcdc.source.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.UnloggedValueFetcher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads from the PostgreSQL source the current values of TOASTed columns that an UPDATE changing
 * the row's key left out of the WAL. For such an update the log has only the old key and the new
 * row without those values, and the destination row of the new key does not exist yet, so the
 * loader has nothing to keep: the value must come from the source. The current value may be newer
 * than the event, but any later change of the column comes after it in the log, so the destination
 * still ends equal to the source. Rare (key updates of rows with large values): one query each.
 */
final class ToastedValueFetcher implements UnloggedValueFetcher {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ToastedValueFetcher.class);

    private final CdcSourceConfig config;
    private transient Connection connection;

    ToastedValueFetcher(CdcSourceConfig config) {
        this.config = config;
    }

    /** Whether a value of this type can be read here (the types PostgreSQL TOASTs in practice). */
    static boolean canFetch(ColumnType type) {
        return type == ColumnType.STRING
                || type == ColumnType.JSON
                || type == ColumnType.DECIMAL_TEXT
                || type == ColumnType.BYTES;
    }

    /**
     * Fills {@code values[i]} for the given columns from the source row of key {@code key}; returns
     * the columns it could not fill (no such row any more: a later delete in the log removes it).
     */
    @Override
    public int[] fill(TableSchema schema, Object[] key, Object[] values, int[] columns) {
        List<Integer> wanted = new ArrayList<>();
        List<Integer> left = new ArrayList<>();
        for (int c : columns) {
            (canFetch(schema.columns().get(c).type()) ? wanted : left).add(c);
        }
        if (wanted.isEmpty()) {
            return columns;
        }
        String select =
                wanted.stream().map(c -> expression(schema.columns().get(c))).collect(Collectors.joining(", "));
        String where = schema.keyColumns().stream()
                .map(k -> SqlIdentifiers.quote(k) + " = ?")
                .collect(Collectors.joining(" AND "));
        String sql = "SELECT " + select + " FROM " + SqlIdentifiers.quote(schema.id()) + " WHERE " + where;
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            for (int i = 0; i < key.length; i++) {
                ps.setObject(i + 1, key[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return columns;
                }
                for (int i = 0; i < wanted.size(); i++) {
                    int c = wanted.get(i);
                    values[c] = schema.columns().get(c).type() == ColumnType.BYTES
                            ? rs.getBytes(i + 1)
                            : rs.getString(i + 1);
                }
            }
        } catch (SQLException e) {
            close();
            throw new IllegalStateException(
                    "Could not read the unchanged large values of a row of " + schema.id() + " whose key changed: "
                            + e.getMessage(),
                    e);
        }
        LOG.debug(
                "Read {} unchanged TOASTed value(s) of {} from the source after a key update",
                wanted.size(),
                schema.id());
        return left.stream().mapToInt(Integer::intValue).toArray();
    }

    /** As the snapshot reads it: JSON through {@code to_json} (arrays), other text by its output function. */
    private static String expression(Column column) {
        String name = SqlIdentifiers.quote(column.name());
        return column.type() == ColumnType.JSON
                ? "to_json(" + name + ")::text"
                : name + (column.type() == ColumnType.BYTES ? "" : "::text");
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = config.openConnection();
        }
        return connection;
    }

    void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }
}
