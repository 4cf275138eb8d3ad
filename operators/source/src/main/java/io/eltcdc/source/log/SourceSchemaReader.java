package io.eltcdc.source.log;

import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Reads a captured table's current columns from the source's catalog, when a change event shows a
 * column the pipeline does not know yet (added in the source). The catalog, not the event, says
 * what the column is: Debezium's value schema does not tell a decimal from text or a JSON column
 * from a string. The table keeps the key it was captured with (a custom key included).
 */
final class SourceSchemaReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CdcSourceConfig config;
    private transient Connection connection;

    SourceSchemaReader(CdcSourceConfig config) {
        this.config = config;
    }

    /** The table as the catalog describes it now. */
    TableSchema read(TableSchema known) {
        String name = known.id().schema() + "." + known.id().table();
        Map<String, List<String>> key = known.hasKey() ? Map.of(name, known.keyColumns()) : Map.of();
        try {
            return discover(name, key);
        } catch (SQLException | RuntimeException e) {
            close();
            throw new IllegalStateException(
                    "Could not read the new columns of " + known.id() + " from the source catalog: " + e.getMessage(),
                    e);
        }
    }

    /**
     * A table the pipeline meets in the change log for the first time (created after the start),
     * described by the catalog with its primary key or {@code customKey}.
     *
     * @throws IllegalArgumentException when the catalog cannot describe it for the pipeline: gone
     *     again, not a table, or a column of a type the pipeline cannot carry
     * @throws IllegalStateException when the catalog cannot be read
     */
    TableSchema readNew(TableId table, List<String> customKey) {
        String name = table.schema() + "." + table.table();
        Map<String, List<String>> key = customKey == null ? Map.of() : Map.of(name, customKey);
        try {
            return discover(name, key);
        } catch (SQLException e) {
            close();
            throw new IllegalStateException(
                    "Could not read the table " + table + ", created in the source, from" + " the source catalog: "
                            + e.getMessage(),
                    e);
        }
    }

    private TableSchema discover(String name, Map<String, List<String>> key) throws SQLException {
        List<TableSchema> found = config.kind().dialect().discover(connection(), List.of(name), key);
        return found.get(0);
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
