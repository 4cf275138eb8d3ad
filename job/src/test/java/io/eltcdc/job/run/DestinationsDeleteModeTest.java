package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationConfig;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.duckdb.DuckDbConfig;
import io.eltcdc.destination.postgres.PostgresConfig;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configured delete mode reaches the destinations the load committer creates. */
class DestinationsDeleteModeTest {
    private static final TableSchema ITEMS = new TableSchema(
            new TableId("shop", "items"),
            List.of(Column.of("id", ColumnType.INT64), Column.of("name", ColumnType.STRING)),
            List.of("id"));

    @TempDir
    Path dir;

    @Test
    void duckdbTablesHaveTheDeletedColumnInSoftModeOnly() throws Exception {
        Path soft = dir.resolve("soft.duckdb");
        Path hard = dir.resolve("hard.duckdb");
        createTables(new DuckDbConfig(soft.toString(), null, DeleteMode.SOFT));
        createTables(new DuckDbConfig(hard.toString(), null, DeleteMode.HARD));

        assertThat(columns("jdbc:duckdb:" + soft))
                .containsExactly("id", "name", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted");
        assertThat(columns("jdbc:duckdb:" + hard))
                .containsExactly("id", "name", "_elt_op", "_elt_position", "_elt_synced_at");
    }

    @Test
    void postgresTablesHaveTheDeletedColumnInSoftMode() throws Exception {
        String url = TestPostgres.createDatabase("destinations_delete_mode");
        JdbcUrl server = JdbcUrl.parse(url);
        createTables(new PostgresConfig(
                server.host(),
                server.port(),
                server.database(),
                server.user(),
                server.password().isEmpty() ? null : new Secret(server.password()),
                null,
                DeleteMode.SOFT));

        assertThat(columns(url))
                .containsExactly("id", "name", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted");
    }

    /** Creates the table through the factory, after a trip through Java serialization as in the job graph. */
    private static void createTables(DestinationConfig config) throws Exception {
        DestinationFactory factory = InstantiationUtil.clone(config);
        try (Destination destination = factory.create()) {
            destination.createTables(List.of(ITEMS));
        }
    }

    private static List<String> columns(String url) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c =
                        url.startsWith("jdbc:duckdb:") ? DriverManager.getConnection(url) : TestPostgres.connect(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT column_name FROM information_schema.columns"
                        + " WHERE table_schema = 'shop' AND table_name = 'items' ORDER BY ordinal_position")) {
            while (r.next()) {
                columns.add(r.getString(1));
            }
        }
        return columns;
    }
}
