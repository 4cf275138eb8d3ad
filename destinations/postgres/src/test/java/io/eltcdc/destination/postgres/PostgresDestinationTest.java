package io.eltcdc.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.destination.testkit.DestinationContractTest;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresDestinationTest extends DestinationContractTest {
    private static final String PASSWORD = "s3cret-pw";
    private static String url;

    @BeforeAll
    static void createDatabase() throws SQLException {
        url = TestPostgres.createDatabase("load_postgres");
    }

    @Override
    protected void resetDestination() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (var r = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                    + " AND nspname NOT IN ('information_schema', 'public')")) {
                while (r.next()) {
                    schemas.add(r.getString(1));
                }
            }
            for (String schema : schemas) {
                s.execute("DROP SCHEMA \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
            }
        }
    }

    @Override
    protected Destination createDestination(String schemaOverride, DeleteMode deleteMode) {
        // The test server trusts local connections, so the password is only there to be kept secret.
        return new PostgresDestination(url, null, PASSWORD, schemaOverride, deleteMode);
    }

    @Override
    protected Connection connect() throws SQLException {
        return TestPostgres.connect(url);
    }

    @Override
    protected String destinationName() {
        return "PostgreSQL " + PostgresDestination.withoutParameters(url);
    }

    @Test
    void columnTypesAndPrimaryKey() throws Exception {
        TableSchema schema = AllTypes.table(new TableId("src", "typed"));
        load(batch(schema.id(), "b1", StagedFiles.write(files, schema, List.of())));
        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT column_name, data_type, numeric_precision, numeric_scale"
                                    + " FROM information_schema.columns"
                                    + " WHERE table_schema = 'src' AND table_name = 'typed' ORDER BY ordinal_position"))
                    .containsExactly(
                            List.of("id", "bigint", 64, 0),
                            List.of("c_int", "integer", 32, 0),
                            List.of("c_bigint", "bigint", 64, 0),
                            Arrays.asList("c_real", "real", 24, null),
                            Arrays.asList("c_double", "double precision", 53, null),
                            Arrays.asList("c_bool", "boolean", null, null),
                            List.of("c_decimal", "numeric", 38, 12),
                            List.of("c_decimal_int", "numeric", 38, 0),
                            List.of("c_decimal_4", "numeric", 4, 2),
                            List.of("c_decimal_9", "numeric", 9, 3),
                            List.of("c_decimal_18", "numeric", 18, 6),
                            Arrays.asList("c_decimal_text", "numeric", null, null),
                            Arrays.asList("c_text", "text", null, null),
                            Arrays.asList("c_date", "date", null, null),
                            Arrays.asList("c_time", "time without time zone", null, null),
                            Arrays.asList("c_ts", "timestamp without time zone", null, null),
                            Arrays.asList("c_tstz", "timestamp with time zone", null, null),
                            Arrays.asList("c_uuid", "uuid", null, null),
                            Arrays.asList("c_json", "jsonb", null, null),
                            Arrays.asList("c_bytes", "bytea", null, null),
                            Arrays.asList("_elt_op", "text", null, null),
                            List.of("_elt_position", "numeric", 38, 0),
                            Arrays.asList("_elt_synced_at", "timestamp with time zone", null, null));
            assertThat(query(
                            c,
                            "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                                    + " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                                    + " WHERE i.indrelid = '\"src\".\"typed\"'::regclass AND i.indisprimary"))
                    .containsExactly(List.of("id"));
        }
    }

    @Test
    void reconnectsWhenTheConnectionBroke() throws Exception {
        TableSchema schema = AllTypes.table(new TableId("src", "t"));
        load(batch(
                schema.id(),
                "b1",
                StagedFiles.write(
                        files,
                        schema,
                        List.of(Row.of(Op.INSERT, 1, AllTypes.rows().get(0))))));
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        assertThat(load(batch(
                        schema.id(),
                        "b2",
                        StagedFiles.write(
                                files,
                                schema,
                                List.of(Row.of(Op.INSERT, 2, AllTypes.rows().get(1)))))))
                .isEqualTo(new LoadResult(1, 1, false));
        // close() and use again: it reopens.
        destination().close();
        assertThat(load(batch(
                        schema.id(),
                        "b3",
                        StagedFiles.write(
                                files,
                                schema,
                                List.of(Row.of(Op.INSERT, 3, AllTypes.rows().get(2)))))))
                .isEqualTo(new LoadResult(1, 1, false));
    }

    @Test
    void failureMessagesNeverHoldThePassword() throws Exception {
        String unreachable = "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2&password=" + PASSWORD;
        try (Destination down = new PostgresDestination(unreachable, "loader", PASSWORD, null)) {
            assertThatThrownBy(() -> down.load(batch(
                            new TableId("shop", "items"),
                            "b-pw",
                            StagedFiles.write(files, AllTypes.table(new TableId("shop", "items")), List.of()))))
                    .isInstanceOf(LoadException.class)
                    .hasMessageContaining("b-pw")
                    .hasMessageContaining("shop.items")
                    .hasMessageContaining("PostgreSQL jdbc:postgresql://127.0.0.1:1/nowhere as loader")
                    .hasMessageNotContaining(PASSWORD);
        }
        assertThat(new PostgresDestination(url, "loader", PASSWORD, null).toString())
                .doesNotContain(PASSWORD);
    }
}
