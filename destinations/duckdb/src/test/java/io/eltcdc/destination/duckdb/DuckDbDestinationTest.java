package io.eltcdc.destination.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.destination.testkit.DestinationContractTest;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbDestinationTest extends DestinationContractTest {
    @TempDir
    Path warehouse;

    private Path database;

    @Override
    protected void resetDestination() {
        database = warehouse.resolve("dir").resolve("warehouse.duckdb"); // a fresh folder per test
    }

    @Override
    protected Destination createDestination(String schemaOverride, DeleteMode deleteMode) {
        return new DuckDbDestination(database.toString(), schemaOverride, deleteMode);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + database);
    }

    @Override
    protected String destinationName() {
        return "DuckDB " + database;
    }

    @Test
    void holdsTheFileOnlyWhileLoading() throws Exception {
        TableSchema schema = AllTypes.table(new TableId("src", "t"));
        load(batch(
                schema.id(),
                "b1",
                StagedFiles.write(
                        files,
                        schema,
                        List.of(new Row(
                                Op.INSERT,
                                io.eltcdc.model.Position.SNAPSHOT,
                                AllTypes.rows().get(0))))));

        // DuckDB refuses a second configuration of a database this process still has open, so a
        // read-only connection only opens when the destination let go of the file.
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database, readOnly)) {
            assertThat(query(c, "SELECT count(*) FROM \"src\".\"t\"")).containsExactly(List.of(1L));
        }
        // And the next load opens it again.
        assertThat(load(batch(
                        schema.id(),
                        "b2",
                        StagedFiles.write(
                                files,
                                schema,
                                List.of(new Row(
                                        Op.INSERT,
                                        new io.eltcdc.model.Position(0, 1),
                                        AllTypes.rows().get(1)))))))
                .isEqualTo(new LoadResult(1, 1, false));
    }

    @Test
    void schemaNamedLikeTheDatabaseFile() throws Exception {
        // DuckDB names the database after the file: "shop"."items" alone would be ambiguous here.
        database = warehouse.resolve("shop.duckdb");
        TableSchema schema = new TableSchema(
                new TableId("shop", "items"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("name", ColumnType.STRING)),
                List.of("id"));
        try (Destination d = createDestination(null)) {
            d.load(batch(schema.id(), "b1", StagedFiles.write(files, schema, List.of(Row.of(Op.INSERT, 1, 1, "one")))));
            d.load(batch(schema.id(), "b2", StagedFiles.write(files, schema, List.of(Row.of(Op.UPDATE, 2, 1, "uno")))));
            assertThat(d.load(batch(schema.id(), "b2", StagedFiles.write(files, schema, List.of()))))
                    .isEqualTo(LoadResult.alreadyLoaded());
        }
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT \"id\", \"name\" FROM \"shop\".\"shop\".\"items\""))
                    .containsExactly(List.of(1, "uno"));
        }
    }

    @Test
    void columnTypes() throws Exception {
        TableSchema schema = AllTypes.table(new TableId("src", "typed"));
        load(batch(schema.id(), "b1", StagedFiles.write(files, schema, List.of())));
        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT column_name, data_type FROM information_schema.columns"
                                    + " WHERE table_schema = 'src' AND table_name = 'typed' ORDER BY ordinal_position"))
                    .containsExactly(
                            List.of("id", "BIGINT"),
                            List.of("c_int", "INTEGER"),
                            List.of("c_bigint", "BIGINT"),
                            List.of("c_real", "FLOAT"),
                            List.of("c_double", "DOUBLE"),
                            List.of("c_bool", "BOOLEAN"),
                            List.of("c_decimal", "DECIMAL(38,12)"),
                            List.of("c_decimal_int", "DECIMAL(38,0)"),
                            List.of("c_decimal_4", "DECIMAL(4,2)"),
                            List.of("c_decimal_9", "DECIMAL(9,3)"),
                            List.of("c_decimal_18", "DECIMAL(18,6)"),
                            List.of("c_decimal_text", "VARCHAR"),
                            List.of("c_text", "VARCHAR"),
                            List.of("c_date", "DATE"),
                            List.of("c_time", "TIME"),
                            List.of("c_ts", "TIMESTAMP"),
                            List.of("c_tstz", "TIMESTAMP WITH TIME ZONE"),
                            List.of("c_uuid", "UUID"),
                            List.of("c_json", "JSON"),
                            List.of("c_bytes", "BLOB"),
                            List.of("_elt_op", "VARCHAR"),
                            List.of("_elt_position", "DECIMAL(38,0)"),
                            List.of("_elt_synced_at", "TIMESTAMP WITH TIME ZONE"));
        }
    }
}
