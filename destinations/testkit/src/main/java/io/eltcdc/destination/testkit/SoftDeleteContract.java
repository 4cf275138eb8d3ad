package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract, part 3: soft deletes keep the row, marked, with its last values. */
public abstract class SoftDeleteContract extends TableChangeContract {
    @Test
    void softDeleteKeepsTheRowWithItsLastValues() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(batch(
                ITEMS,
                "b1",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.READ, 10, 1, "one"),
                        Row.of(Op.READ, 10, 2, "two"),
                        Row.of(Op.READ, 10, 3, "three"))));
        Instant firstSync = syncedAt(1);
        LoadBatch deletes = batch(
                ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 20, 1, null), Row.of(Op.UPDATE, 20, 2, "two-b")));

        assertThat(load(deletes)).isEqualTo(new LoadResult(2, 2, false));

        assertThat(itemsWithMetadata())
                .containsExactly(
                        item(1, "one", true, "DELETE", 20),
                        item(2, "two-b", false, "UPDATE", 20),
                        item(3, "three", false, "READ", 10));
        assertThat(syncedAt(1)).isAfterOrEqualTo(firstSync);
        // Delivered again, as the same batch or within another: nothing changes.
        List<List<Object>> after = everything("\"shop\".\"items\"");
        assertThat(load(deletes)).isEqualTo(LoadResult.alreadyLoaded());
        assertThat(load(batch(ITEMS, "b2-again", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 20, 1, null)))))
                .isEqualTo(new LoadResult(1, 0, false));
        assertThat(everything("\"shop\".\"items\"")).isEqualTo(after);
    }

    @Test
    void softDeleteOfAKeyTheTargetLacksLeavesATombstoneNoOlderRecordRevives() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 1, "one"), Row.of(Op.READ, 10, 3, "three"))));
        // Key 2 lies within the target's keys, key 9 beyond them, key 20 in a batch of its own whose
        // key range holds no target row (the merge then only inserts).
        load(batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 20, 2, null), Row.of(Op.DELETE, 21, 9, null))));
        load(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 22, 20, null))));

        List<List<Object>> expected = List.of(
                item(1, "one", false, "READ", 10),
                item(2, null, true, "DELETE", 20),
                item(3, "three", false, "READ", 10),
                item(9, null, true, "DELETE", 21),
                item(20, null, true, "DELETE", 22));
        assertThat(itemsWithMetadata()).containsExactlyElementsOf(expected);

        // Older records of the deleted keys arrive late: they lose against the tombstones.
        LoadResult late = load(batch(
                ITEMS,
                "b4",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.INSERT, 15, 2, "two-old"),
                        Row.of(Op.UPDATE, 5, 9, "nine-old"),
                        Row.of(Op.READ, 10, 20, "x"))));
        assertThat(late).isEqualTo(new LoadResult(3, 0, false));
        assertThat(itemsWithMetadata()).containsExactlyElementsOf(expected);
    }

    @Test
    void recordAfterASoftDeleteClearsTheFlag() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.INSERT, 10, 1, "one"), Row.of(Op.INSERT, 10, 2, "two"))));
        load(batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 20, 1, null), Row.of(Op.DELETE, 20, 2, null))));
        load(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.INSERT, 30, 1, "one-again"))));

        assertThat(itemsWithMetadata())
                .containsExactly(item(1, "one-again", false, "INSERT", 30), item(2, "two", true, "DELETE", 20));

        // Within one batch: inserted again and deleted again; inserted and deleted; deleted after updates.
        load(batch(
                ITEMS,
                "b4",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.INSERT, 31, 2, "two-again"),
                        Row.of(Op.DELETE, 40, 2, null),
                        Row.of(Op.INSERT, 50, 2, "two-3"),
                        Row.of(Op.DELETE, 40, 1, null),
                        Row.of(Op.INSERT, 41, 5, "five"),
                        Row.of(Op.DELETE, 42, 5, null),
                        Row.of(Op.INSERT, 43, 6, "six"),
                        Row.of(Op.UPDATE, 44, 6, "six-b"),
                        Row.of(Op.DELETE, 45, 6, null))));

        // A deleted row keeps its last values, also when they came in the same batch as the DELETE:
        // the result does not depend on how the records were split into batches.
        assertThat(itemsWithMetadata())
                .containsExactly(
                        item(1, "one-again", true, "DELETE", 40),
                        item(2, "two-3", false, "INSERT", 50),
                        item(5, "five", true, "DELETE", 42),
                        item(6, "six-b", true, "DELETE", 45));
    }

    @Test
    void olderRecordAfterASoftDeleteIsIgnored() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.INSERT, 10, 1, "a"))));
        load(batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 30, 1, null))));

        assertThat(load(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.UPDATE, 20, 1, "b")))))
                .isEqualTo(new LoadResult(1, 0, false));
        // In a batch with the DELETE too: the DELETE has the highest position.
        load(batch(ITEMS, "b4", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 60, 1, null), Row.of(Op.UPDATE, 50, 1, "c"))));

        assertThat(itemsWithMetadata()).containsExactly(item(1, "c", true, "DELETE", 60));
    }

    @Test
    void softDeleteInTheNewerPartOfATypeChangeKeepsTheOlderPartsValues() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        UUID code1 = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        UUID code1b = UUID.fromString("00000000-0000-0000-0000-00000000001a");
        UUID code2 = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        load(batch(TICKETS, "b1", write(TICKETS_V1, Row.of(Op.INSERT, 10, 1, code1, "note 1"))));

        // Updated and inserted, the column's type changed, then both rows deleted: one batch that
        // lists the newer version's file first. Each deleted row keeps the values of the older part.
        StagedFile newer =
                write(TICKETS_V2, Row.of(Op.DELETE, 30, 1, null, null), Row.of(Op.DELETE, 31, 2, null, null));
        StagedFile older = write(
                TICKETS_V1, Row.of(Op.UPDATE, 20, 1, code1b, "note 1-b"), Row.of(Op.INSERT, 21, 2, code2, "note 2"));

        load(batch(TICKETS, "b2", newer, older));

        assertThat(ticketsWithMetadata("_elt_deleted", "_elt_op", "_elt_position"))
                .containsExactly(
                        List.of(1, code1b.toString(), "note 1-b", true, "DELETE", new BigDecimal(30)),
                        List.of(2, code2.toString(), "note 2", true, "DELETE", new BigDecimal(31)));
    }

    @Test
    void softDeleteKeepsColumnsTheSourceDropped() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
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
                write(
                        v2,
                        Row.of(Op.INSERT, 1, 1, "ann", new BigDecimal("12.50")),
                        Row.of(Op.INSERT, 1, 2, "bob", new BigDecimal("3.00")))));
        // The source dropped "credit": later files lack it.
        load(batch(id, "b2", write(v1, Row.of(Op.DELETE, 2, 1, null), Row.of(Op.UPDATE, 2, 2, "bob-b"))));

        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT \"id\", \"name\", \"credit\", \"_elt_deleted\" FROM \"shop\".\"customers\""
                                    + " ORDER BY \"id\""))
                    .containsExactly(
                            List.of(1, "ann", new BigDecimal("12.50"), true), Arrays.asList(2, "bob-b", null, false));
        }
    }

    @Test
    void softDeletesInATableWithoutKeyAreAppended() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        TableSchema schema = new TableSchema(
                new TableId("logs", "events"), List.of(Column.of("message", ColumnType.STRING)), List.of());
        load(batch(schema.id(), "b1", write(schema, Row.of(Op.INSERT, 1, "started"), Row.of(Op.DELETE, 2, "started"))));

        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT \"message\", \"_elt_op\", \"_elt_deleted\" FROM \"logs\".\"events\""
                                    + " ORDER BY \"_elt_position\""))
                    .containsExactly(List.of("started", "INSERT", false), List.of("started", "DELETE", true));
        }
    }

    @Test
    void hardModeHasNoDeletedColumnSoftModeAddsItAndHardModeKeepsItTrue() throws Exception {
        load(batch(
                ITEMS,
                "b1",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.INSERT, 10, 1, "one"),
                        Row.of(Op.INSERT, 10, 2, "two"),
                        Row.of(Op.INSERT, 10, 3, "three"))));
        load(batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 15, 3, null))));
        assertThat(itemColumns()).containsExactly("id", "name", "_elt_op", "_elt_position", "_elt_synced_at");
        assertThat(items()).containsExactly(List.of(1, "one"), List.of(2, "two"));

        // The same table in soft-delete mode: the column is added, false for the rows there.
        useDeleteMode(DeleteMode.SOFT);
        load(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 20, 2, null))));
        assertThat(itemColumns())
                .containsExactly("id", "name", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted");
        assertThat(itemsWithMetadata())
                .containsExactly(item(1, "one", false, "INSERT", 10), item(2, "two", true, "DELETE", 20));

        // Back in hard-delete mode: deletes remove rows, and a row inserted again is no longer marked deleted.
        useDeleteMode(DeleteMode.HARD);
        load(batch(
                ITEMS,
                "b4",
                write(ITEMS_SCHEMA, Row.of(Op.DELETE, 30, 1, null), Row.of(Op.INSERT, 30, 2, "two-again"))));
        assertThat(itemsWithMetadata()).containsExactly(item(2, "two-again", false, "INSERT", 30));
    }

    // ---- columns the source did not send (unchanged TOASTed values)

}
