package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The contract, part 2: tables change (columns added, renamed, widened; a table replaced), and failures name what failed and roll back. */
public abstract class TableChangeContract extends LoadContract {
    @Test
    void columnAddedInALaterBatch() throws Exception {
        TableId id = new TableId("shop", "customers");
        TableSchema v1 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.of("name", ColumnType.STRING)), List.of("id"));
        TableSchema v2 = new TableSchema(
                id,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("name", ColumnType.STRING),
                        Column.decimal("credit", 10, 2)),
                List.of("id"));
        load(batch(
                id,
                "b1",
                StagedFiles.write(
                        files,
                        v1,
                        List.of(
                                Row.of(Op.INSERT, 1, 1, "ann"),
                                Row.of(Op.INSERT, 2, 2, "bob"),
                                Row.of(Op.INSERT, 3, 3, "cy")))));

        // One batch with files of both versions: the older file lacks the new column.
        StagedFile old = StagedFiles.write(files, v1, List.of(Row.of(Op.UPDATE, 4, 3, "cyd")));
        StagedFile newer = StagedFiles.write(
                files,
                v2,
                List.of(
                        Row.of(Op.UPDATE, 5, 2, "bob", new BigDecimal("12.50")),
                        Row.of(Op.INSERT, 6, 4, "dee", new BigDecimal("-1.00"))));
        load(batch(id, "b2", newer, old));

        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"shop\".\"customers\"", v2.columns(), "\"id\""))
                    .containsExactlyElementsOf(TargetRows.expected(
                            v2.columns(),
                            new Object[] {1, "ann", null},
                            new Object[] {2, "bob", new BigDecimal("12.50")},
                            new Object[] {3, "cyd", null},
                            new Object[] {4, "dee", new BigDecimal("-1.00")}));
        }
    }

    @Test
    void columnRenamedInTheSourceIsRenamedWithItsValues() throws Exception {
        Assumptions.assumeTrue(renamesColumns(), () -> destinationName() + " does not rename columns yet");
        TableId id = new TableId("shop", "paints");
        TableSchema v1 = new TableSchema(
                id,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("color", ColumnType.STRING),
                        Column.of("qty", ColumnType.INT32)),
                List.of("id"));
        TableSchema v2 = new TableSchema(
                id,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("Colour Name", ColumnType.STRING),
                        Column.of("qty", ColumnType.INT32)),
                List.of("id"),
                Map.of("Colour Name", "color"));
        load(batch(
                id,
                "b1",
                StagedFiles.write(
                        files,
                        v1,
                        List.of(
                                Row.of(Op.INSERT, 1, 1, "red", 10),
                                Row.of(Op.INSERT, 1, 2, "green", 20),
                                Row.of(Op.INSERT, 1, 3, "blue", 30)))));

        // One batch with files of both versions, the renamed one first: the old name's rows load first.
        StagedFile renamed = StagedFiles.write(
                files, v2, List.of(Row.of(Op.UPDATE, 5, 2, "olive", 21), Row.of(Op.INSERT, 6, 4, "teal", 40)));
        StagedFile old = StagedFiles.write(files, v1, List.of(Row.of(Op.UPDATE, 4, 3, "navy", 31)));
        load(batch(id, "b2", renamed, old));
        load(batch(id, "b3", StagedFiles.write(files, v2, List.of(Row.of(Op.UPDATE, 7, 1, "crimson", 11)))));

        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"shop\".\"paints\"", v2.columns(), "\"id\""))
                    .containsExactlyElementsOf(TargetRows.expected(
                            v2.columns(),
                            new Object[] {1, "crimson", 11},
                            new Object[] {2, "olive", 21},
                            new Object[] {3, "navy", 31},
                            new Object[] {4, "teal", 40}));
            assertThat(query(
                            c,
                            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'shop'"
                                    + " AND table_name = 'paints' AND column_name = 'color'"))
                    .as("the former name is gone")
                    .containsExactly(List.of(0L));
        }
    }

    @Test
    void aBatchThatReplacesTheTableStartsFromAnEmptyTableOnce() throws Exception {
        Assumptions.assumeTrue(
                destination().supportsReplacingTables(), () -> destinationName() + " cannot replace tables (re-sync)");
        load(batch(
                ITEMS,
                "b1",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.INSERT, 10, 1, "one"),
                        Row.of(Op.INSERT, 10, 2, "two"),
                        Row.of(Op.UPDATE, 50, 3, "three"))));
        // A re-sync read at position 20: older than row 3's last change, yet the table is new.
        LoadBatch resync = new LoadBatch(
                PIPELINE,
                ITEMS,
                "resync",
                List.of(write(
                        ITEMS_SCHEMA,
                        Row.of(Op.READ, 20, 2, "two-again"),
                        Row.of(Op.READ, 20, 4, "four"),
                        Row.of(Op.DELETE, 30, 4, null),
                        Row.of(Op.READ, 20, 5, "five"))),
                true);

        assertThat(load(resync)).isEqualTo(new LoadResult(4, 2, false));
        assertThat(items()).containsExactly(List.of(2, "two-again"), List.of(5, "five"));
        // Delivered again (a restart after the load): nothing is dropped, nothing changes.
        assertThat(load(resync)).isEqualTo(LoadResult.alreadyLoaded());
        assertThat(items()).containsExactly(List.of(2, "two-again"), List.of(5, "five"));
    }

    @Test
    void columnsWidenedInTheSourceAreWidenedAlsoWithinOneBatch() throws Exception {
        Assumptions.assumeTrue(widensColumnTypes(), () -> destinationName() + " cannot widen column types in place");
        TableId id = new TableId("shop", "stock");
        TableSchema v1 = new TableSchema(
                id,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("qty", ColumnType.INT32),
                        Column.decimal("price", 6, 2)),
                List.of("id"));
        TableSchema v2 = new TableSchema(
                id,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("qty", ColumnType.INT64),
                        Column.decimal("price", 12, 3)),
                List.of("id"));
        load(batch(
                id,
                "b1",
                StagedFiles.write(
                        files,
                        v1,
                        List.of(
                                Row.of(Op.INSERT, 1, 1, 10, new BigDecimal("1.50")),
                                Row.of(Op.INSERT, 2, 2, 20, new BigDecimal("2.50"))))));

        // The type changed within the checkpoint: files of both versions in one batch.
        StagedFile old = StagedFiles.write(files, v1, List.of(Row.of(Op.UPDATE, 3, 1, 11, new BigDecimal("1.75"))));
        StagedFile widened = StagedFiles.write(
                files,
                v2,
                List.of(
                        Row.of(Op.UPDATE, 4, 2, 3_000_000_000L, new BigDecimal("123456789.125")),
                        Row.of(Op.INSERT, 5, 3, -3_000_000_000L, new BigDecimal("0.001"))));
        load(batch(id, "b2", widened, old));
        load(batch(id, "b2", widened, old)); // redelivered: no change

        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"shop\".\"stock\"", v2.columns(), "\"id\""))
                    .containsExactlyElementsOf(TargetRows.expected(
                            v2.columns(),
                            new Object[] {1, 11L, new BigDecimal("1.750")},
                            new Object[] {2, 3_000_000_000L, new BigDecimal("123456789.125")},
                            new Object[] {3, -3_000_000_000L, new BigDecimal("0.001")}));
        }
    }

    @Test
    void aTypeChangeTheDestinationCannotFollowNamesTableColumnAndTypes() throws Exception {
        TableId id = new TableId("shop", "labels");
        TableSchema v1 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.decimal("code", 6, 2)), List.of("id"));
        TableSchema v2 = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT32), Column.of("code", ColumnType.INT64)), List.of("id"));
        load(batch(id, "b1", StagedFiles.write(files, v1, List.of(Row.of(Op.INSERT, 1, 1, new BigDecimal("1.25"))))));

        // numeric(6,2) -> bigint: neither holds every value of the other
        assertThatThrownBy(() ->
                        load(batch(id, "b2", StagedFiles.write(files, v2, List.of(Row.of(Op.UPDATE, 2, 1, 7L))))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("column code")
                .hasMessageContaining("labels")
                .hasMessageContaining("does not hold every value")
                .hasMessageContaining("Re-sync the table")
                .satisfies(e -> assertThat(((LoadException) e).refusesSchemaChange())
                        .as("a failure of this table only: the committer stops the table, not the job")
                        .isTrue());
        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"shop\".\"labels\"", v1.columns(), "\"id\""))
                    .containsExactlyElementsOf(
                            TargetRows.expected(v1.columns(), new Object[] {1, new BigDecimal("1.25")}));
        }
    }

    @Test
    void schemaOverridePutsEveryTableInOneSchema() throws Exception {
        destination().close();
        try (Destination overridden = createDestination("analytics")) {
            assertThat(overridden.load(batch(
                            ITEMS,
                            "b1",
                            StagedFiles.write(files, ITEMS_SCHEMA, List.of(Row.of(Op.INSERT, 1, 7, "seven"))))))
                    .isEqualTo(new LoadResult(1, 1, false));
        }
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT \"id\", \"name\" FROM \"analytics\".\"items\""))
                    .containsExactly(List.of(7, "seven"));
            assertThat(query(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'shop'"))
                    .containsExactly(List.of(0L));
            assertThat(query(c, "SELECT table_name FROM elt_cdc.loads")).containsExactly(List.of("analytics.items"));
        }
    }

    @Test
    void failureNamesTableBatchAndDestination() throws Exception {
        StagedFile good = StagedFiles.write(files, ITEMS_SCHEMA, List.of(Row.of(Op.INSERT, 1, 1, "one")));
        StagedFile missing =
                new StagedFile(files.resolve("missing.avro").toUri().toString(), 10);

        assertThatThrownBy(() -> load(batch(ITEMS, "batch-42", good, missing)))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("batch-42")
                .hasMessageContaining("shop.items")
                .hasMessageContaining(destinationName())
                .hasMessageContaining("missing.avro");
        // Nothing of the batch was loaded, and the batch can still load once the file is back.
        assertThat(load(batch(ITEMS, "batch-43", good))).isEqualTo(new LoadResult(1, 1, false));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT batch_id FROM elt_cdc.loads")).containsExactly(List.of("batch-43"));
        }
    }

    @Test
    void failureInTheMergeRollsBackTheBatch() throws Exception {
        load(batch(ITEMS, "b1", StagedFiles.write(files, ITEMS_SCHEMA, List.of(Row.of(Op.INSERT, 1, 1, "one")))));
        // A later schema version retypes a column to one the target's column cannot take.
        // (uuid into date: types the load does not compare, so the merge itself fails)
        TableSchema retyped = new TableSchema(
                ITEMS,
                List.of(
                        new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                        Column.of("name", ColumnType.STRING),
                        Column.of("note", ColumnType.UUID)),
                List.of("id"));
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("ALTER TABLE \"shop\".\"items\" ADD COLUMN \"note\" DATE");
        }
        LoadBatch bad = batch(
                ITEMS,
                "bad",
                StagedFiles.write(
                        files,
                        retyped,
                        List.of(
                                Row.of(Op.UPDATE, 2, 1, "uno", UUID.randomUUID()),
                                Row.of(Op.INSERT, 3, 2, "two", UUID.randomUUID()))));

        assertThatThrownBy(() -> load(bad))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("batch bad of table shop.items")
                .hasMessageContaining(destinationName())
                .satisfies(e -> assertThat(((LoadException) e).refusesSchemaChange())
                        .as("not a refused schema change: the job fails and retries")
                        .isFalse());
        assertThat(items()).containsExactly(List.of(1, "one"));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT batch_id FROM elt_cdc.loads")).containsExactly(List.of("b1"));
        }
    }

    // ---- soft deletes (destination.delete-mode: soft)

}
