package io.eltcdc.source.cdc;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.snapshot.MySqlCatalog;
import io.eltcdc.source.snapshot.PostgresCatalog;
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
            List<TableSchema> found = config.kind() == SourceKind.POSTGRES
                    ? PostgresCatalog.discover(connection(), List.of(name), key)
                    : MySqlCatalog.discover(connection(), List.of(name), key);
            return found.get(0);
        } catch (SQLException | RuntimeException e) {
            close();
            throw new IllegalStateException("Could not read the new columns of " + known.id()
                    + " from the source catalog: " + e.getMessage(), e);
        }
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
