package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole contract suite with Redshift's own cases ({@link RedshiftContract}), run with the
 * Redshift destination's loader, DDL and statements against the local PostgreSQL (127.0.0.1:5432),
 * through {@link PostgresAsRedshift}: everything of the Redshift load but COPY and three spellings
 * runs on a real server. Plus Redshift's own rules: lower-cased names, long strings, the type
 * changes Redshift cannot follow.
 */
class RedshiftSqlOnPostgresTest extends RedshiftContract {
    private static String url;

    @TempDir
    Path loadFiles;

    private LongStrings longStrings = LongStrings.FAIL;

    @BeforeAll
    static void createDatabase() throws SQLException {
        url = TestPostgres.createDatabase("load_redshift_sql");
        try (Connection c = TestPostgres.connect(url)) {
            RedshiftSpelling.createStandIns(c);
        }
    }

    @Override
    protected void resetDestination() throws SQLException {
        try (Connection c = TestPostgres.connect(url);
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
        return new PostgresAsRedshift(url, loadFiles.toUri().toString(), schemaOverride, deleteMode, longStrings);
    }

    /** Reads as Redshift does: quoted names fold to lower case. */
    @Override
    protected Connection connect() throws SQLException {
        return RedshiftSpelling.onPostgres(TestPostgres.connect(url));
    }

    @Override
    protected String destinationName() {
        return PostgresAsRedshift.NAME;
    }

    @Override
    protected boolean widensColumnTypes() {
        return false;
    }

    // ---- Redshift's own rules

    @Test
    void namesAreLowerCased() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("Sales", "Orders"),
                List.of(Column.of("OrderId", ColumnType.INT64), Column.of("Customer Name", ColumnType.STRING)),
                List.of("OrderId"));
        load(batch(schema.id(), "b1", StagedFiles.write(files, schema, List.of(Row.of(Op.INSERT, 1, 7L, "ann")))));
        try (Connection c = TestPostgres.connect(url)) {
            assertThat(query(
                            c,
                            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'sales'"
                                    + " AND table_name = 'orders' ORDER BY ordinal_position"))
                    .containsExactly(
                            List.of("orderid"),
                            List.of("customer name"),
                            List.of("_elt_op"),
                            List.of("_elt_position"),
                            List.of("_elt_synced_at"));
            assertThat(query(c, "SELECT table_name FROM elt_cdc.loads")).containsExactly(List.of("sales.orders"));
        }
    }

    @Test
    void columnsEqualButForCaseAreRefused() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("shop", "dupes"),
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("Name", ColumnType.STRING),
                        Column.of("name", ColumnType.STRING)),
                List.of("id"));
        assertThatThrownBy(() -> load(batch(
                        schema.id(),
                        "b1",
                        StagedFiles.write(files, schema, List.of(Row.of(Op.INSERT, 1, 1, "a", "b"))))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("columns 'Name' and 'name' of shop.dupes are one column in Redshift");
    }

    @Test
    void longStringsFailByDefaultNamingTheColumn() throws Exception {
        TableSchema schema = textTable();
        String tooLong = "x".repeat(RedshiftTypes.MAX_VARCHAR_BYTES + 1);
        assertThatThrownBy(() -> load(batch(
                        schema.id(),
                        "b1",
                        StagedFiles.write(files, schema, List.of(Row.of(Op.INSERT, 1, 1, tooLong))))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("column body of shop.notes holds 65536 bytes of UTF-8 in row 1")
                .hasMessageContaining("destination.long-strings: truncate");
    }

    @Test
    void longStringsTruncatedAreMarked() throws Exception {
        useLongStrings(LongStrings.TRUNCATE);
        TableSchema schema = textTable();
        // A 4-byte character straddles the limit: the cut goes before it, never through it.
        String tooLong = "y".repeat(RedshiftTypes.MAX_VARCHAR_BYTES - 2) + "😀" + "zz";
        LoadResult result = load(batch(
                schema.id(),
                "b1",
                StagedFiles.write(
                        files, schema, List.of(Row.of(Op.INSERT, 1, 1, tooLong), Row.of(Op.INSERT, 1, 2, "short")))));
        assertThat(result).isEqualTo(new LoadResult(2, 2, false));
        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT \"id\", octet_length(\"body\"), \"_elt_truncated\" FROM \"shop\".\"notes\""
                                    + " ORDER BY \"id\""))
                    .containsExactly(List.of(1, RedshiftTypes.MAX_VARCHAR_BYTES - 2, true), List.of(2, 5, false));
        }
    }

    @Test
    void varcharGrowsWhenAUuidColumnBecomesText() throws Exception {
        TableId id = new TableId("shop", "tags");
        TableSchema v1 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.of("tag", ColumnType.UUID)), List.of("id"));
        TableSchema v2 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.of("tag", ColumnType.STRING)), List.of("id"));
        load(batch(
                id,
                "b1",
                StagedFiles.write(
                        files,
                        v1,
                        List.of(Row.of(
                                Op.INSERT, 1, 1, java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))))));
        load(batch(
                id,
                "b2",
                StagedFiles.write(
                        files, v2, List.of(Row.of(Op.UPDATE, 2, 1, "a tag longer than 36 characters, fine")))));
        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT character_maximum_length FROM information_schema.columns"
                                    + " WHERE table_schema = 'shop' AND table_name = 'tags' AND column_name = 'tag'"))
                    .containsExactly(List.of(RedshiftTypes.MAX_VARCHAR_BYTES));
            assertThat(query(c, "SELECT \"tag\" FROM \"shop\".\"tags\""))
                    .containsExactly(List.of("a tag longer than 36 characters, fine"));
        }
    }

    @Test
    void widenedNumbersAreRefusedWithReSync() throws Exception {
        TableId id = new TableId("shop", "stock");
        TableSchema v1 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.of("qty", ColumnType.INT32)), List.of("id"));
        TableSchema v2 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.of("qty", ColumnType.INT64)), List.of("id"));
        load(batch(id, "b1", StagedFiles.write(files, v1, List.of(Row.of(Op.INSERT, 1, 1, 10)))));
        assertThatThrownBy(() -> load(batch(
                        id, "b2", StagedFiles.write(files, v2, List.of(Row.of(Op.UPDATE, 2, 1, 3_000_000_000L))))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("column qty of \"shop\".\"stock\" has type integer")
                .hasMessageContaining("ALTER COLUMN … TYPE only makes a VARCHAR longer")
                .hasMessageContaining("Re-sync the table")
                .satisfies(e ->
                        assertThat(((LoadException) e).refusesSchemaChange()).isTrue());
        // An older, narrower version after a wider one needs no change.
        load(batch(id, "b3", StagedFiles.write(files, v1, List.of(Row.of(Op.UPDATE, 3, 1, 11)))));
        assertThat(items(id)).containsExactly(List.of(1, 11));
    }

    @Test
    void loadFilesAreDeletedOnceLoaded() throws Exception {
        TableSchema schema = textTable();
        load(batch(schema.id(), "b1", StagedFiles.write(files, schema, List.of(Row.of(Op.INSERT, 1, 1, "one")))));
        try (Stream<Path> left = Files.walk(loadFiles)) {
            assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    private List<List<Object>> items(TableId id) throws SQLException {
        try (Connection c = connect()) {
            return query(
                    c, "SELECT \"id\", \"qty\" FROM \"" + id.schema() + "\".\"" + id.table() + "\" ORDER BY \"id\"");
        }
    }

    private static TableSchema textTable() {
        return new TableSchema(
                new TableId("shop", "notes"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("body", ColumnType.STRING)),
                List.of("id"));
    }

    private void useLongStrings(LongStrings choice) throws Exception {
        longStrings = choice;
        useDeleteMode(DeleteMode.HARD); // reopens the destination with the new choice
    }
}
