package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract, part 1: values load exactly, batches load once, merges keep the record with the highest position. */
public abstract class LoadContract extends ContractFixture {
    @Test
    void loadsEveryTypeValueByValue() throws Exception {
        TableSchema schema = AllTypes.table(new TableId("src", "all_types"));
        List<Row> rows = new ArrayList<>();
        BigInteger big = BigInteger.ONE.shiftLeft(126).subtract(BigInteger.ONE);
        for (Object[] values : AllTypes.rows()) {
            long id = (Long) values[0];
            rows.add(new Row(
                    id == 2 ? Op.UPDATE : Op.INSERT, Position.of(big.subtract(BigInteger.valueOf(id))), values));
        }

        LoadResult result = load(batch(schema.id(), "b1", StagedFiles.write(files, schema, rows)));

        assertThat(result).isEqualTo(new LoadResult(5, 5, false));
        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"src\".\"all_types\"", schema.columns(), "\"id\""))
                    .containsExactlyElementsOf(TargetRows.expected(schema.columns(), AllTypes.rows()));
            List<List<Object>> metadata = query(
                    c,
                    "SELECT \"_elt_op\", \"_elt_position\", \"_elt_synced_at\" IS NOT NULL FROM \"src\".\"all_types\" ORDER BY \"id\"");
            assertThat(metadata)
                    .containsExactly(
                            List.of("INSERT", new BigDecimal(big.subtract(BigInteger.ONE)), true),
                            List.of("UPDATE", new BigDecimal(big.subtract(BigInteger.TWO)), true),
                            List.of("INSERT", new BigDecimal(big.subtract(BigInteger.valueOf(3))), true),
                            List.of("INSERT", new BigDecimal(big.subtract(BigInteger.valueOf(4))), true),
                            List.of("INSERT", new BigDecimal(big.subtract(BigInteger.valueOf(5))), true));
        }
    }

    @Test
    void sameBatchTwiceChangesNothing() throws Exception {
        LoadBatch batch = batch(
                ITEMS,
                "twice",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.INSERT, 10, 1, "one"),
                                Row.of(Op.INSERT, 11, 2, "two"),
                                Row.of(Op.UPDATE, 12, 1, "uno"))));

        assertThat(load(batch)).isEqualTo(new LoadResult(3, 2, false));
        List<List<Object>> first = everything("\"shop\".\"items\"");
        assertThat(load(batch)).isEqualTo(LoadResult.alreadyLoaded());

        assertThat(everything("\"shop\".\"items\"")).isEqualTo(first).hasSize(2);
        assertThat(items()).containsExactly(List.of(1, "uno"), List.of(2, "two"));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT pipeline, table_name, batch_id, files, rows_staged FROM elt_cdc.loads"))
                    .containsExactly(List.of(PIPELINE, "shop.items", "twice", 1, 3L));
        }
        // Also across a new destination instance (a restarted job).
        destination().close();
        try (Destination again = createDestination(null)) {
            assertThat(again.load(batch)).isEqualTo(LoadResult.alreadyLoaded());
        }
        assertThat(everything("\"shop\".\"items\"")).isEqualTo(first);
    }

    @Test
    void mergeKeepsTheHighestPositionWhateverTheArrivalOrder() throws Exception {
        load(batch(
                ITEMS,
                "b1",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.READ, 10, 1, "a"),
                                Row.of(Op.READ, 10, 2, "b"),
                                Row.of(Op.READ, 10, 3, "c"),
                                Row.of(Op.READ, 10, 4, "d")))));
        load(batch(ITEMS, "b2", StagedFiles.write(files, ITEMS_SCHEMA, List.of(Row.of(Op.UPDATE, 30, 1, "newer")))));

        LoadResult result = load(batch(
                ITEMS,
                "b3",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.UPDATE, 20, 1, "older"), // arrives after the newer update: loses
                                Row.of(Op.DELETE, 40, 2, null), // newer delete: removes the row
                                Row.of(Op.DELETE, 5, 3, null), // delete older than the row: ignored
                                Row.of(Op.UPDATE, 15, 4, "d2"),
                                Row.of(Op.UPDATE, 14, 4, "d1"))))); // newest of the batch wins

        assertThat(items()).containsExactly(List.of(1, "newer"), List.of(3, "c"), List.of(4, "d2"));
        assertThat(result.rowsStaged()).isEqualTo(5);
        assertThat(result.rowsMerged()).isEqualTo(2); // row 2 deleted, row 4 updated
        try (Connection c = connect()) {
            assertThat(query(
                            c, "SELECT \"id\", \"_elt_op\", \"_elt_position\" FROM \"shop\".\"items\" ORDER BY \"id\""))
                    .containsExactly(
                            List.of(1, "UPDATE", new BigDecimal(30)),
                            List.of(3, "READ", new BigDecimal(10)),
                            List.of(4, "UPDATE", new BigDecimal(15)));
        }
    }

    @Test
    void batchOfDistinctKeysAmongTheTargetsKeys() throws Exception {
        // The target's keys surround the batch's: a key range check alone cannot settle the merge.
        load(batch(
                ITEMS,
                "b1",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.READ, 10, 1, "a"),
                                Row.of(Op.READ, 10, 5, "e"),
                                Row.of(Op.READ, 10, 9, "i")))));

        LoadResult fresh = load(batch(
                ITEMS,
                "b2",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.READ, 10, 2, "b"),
                                Row.of(Op.READ, 10, 3, "c"),
                                Row.of(Op.READ, 10, 8, "h")))));
        assertThat(fresh).isEqualTo(new LoadResult(3, 3, false));

        // Distinct keys again, now some of them in the target: newer records win, older ones lose.
        LoadResult mixed = load(batch(
                ITEMS,
                "b3",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.UPDATE, 20, 1, "a2"),
                                Row.of(Op.UPDATE, 5, 2, "b-old"),
                                Row.of(Op.DELETE, 20, 3, null),
                                Row.of(Op.DELETE, 5, 5, null),
                                Row.of(Op.INSERT, 20, 6, "f"),
                                Row.of(Op.DELETE, 20, 7, null)))));
        assertThat(mixed.rowsMerged()).isEqualTo(3); // 1 updated, 3 deleted, 6 inserted
        assertThat(items())
                .containsExactly(
                        List.of(1, "a2"),
                        List.of(2, "b"),
                        List.of(5, "e"),
                        List.of(6, "f"),
                        List.of(8, "h"),
                        List.of(9, "i"));

        // Snapshot rows of keys the target has (a snapshot read again): only newer ones replace.
        LoadResult reread = load(batch(
                ITEMS,
                "b4",
                StagedFiles.write(
                        files,
                        ITEMS_SCHEMA,
                        List.of(
                                Row.of(Op.READ, 5, 8, "h-old"),
                                Row.of(Op.READ, 30, 9, "i-new"),
                                Row.of(Op.READ, 30, 10, "j")))));
        assertThat(reread.rowsMerged()).isEqualTo(2);
        assertThat(items())
                .containsExactly(
                        List.of(1, "a2"),
                        List.of(2, "b"),
                        List.of(5, "e"),
                        List.of(6, "f"),
                        List.of(8, "h"),
                        List.of(9, "i-new"),
                        List.of(10, "j"));
    }

    @Test
    void batchOfSeveralFilesMergesAcrossFiles() throws Exception {
        StagedFile a = StagedFiles.write(
                files,
                ITEMS_SCHEMA,
                List.of(
                        Row.of(Op.INSERT, 1, 1, "one"),
                        Row.of(Op.UPDATE, 50, 2, "two-late"),
                        Row.of(Op.INSERT, 60, 3, "three")));
        StagedFile b = StagedFiles.write(
                files,
                ITEMS_SCHEMA,
                List.of(
                        Row.of(Op.INSERT, 2, 2, "two-early"),
                        Row.of(Op.DELETE, 70, 3, null),
                        Row.of(Op.DELETE, 80, 5, null)));
        StagedFile c = StagedFiles.write(
                files, ITEMS_SCHEMA, List.of(Row.of(Op.INSERT, 3, 4, "four"), Row.of(Op.INSERT, 90, 5, "five-again")));

        LoadResult result = load(batch(ITEMS, "many", c, a, b));

        assertThat(result.rowsStaged()).isEqualTo(8);
        assertThat(items())
                .containsExactly(
                        List.of(1, "one"), List.of(2, "two-late"), List.of(4, "four"), List.of(5, "five-again"));
    }

    @Test
    void partsOfATypeChangeWithinABatchMergeOldestFirstWhateverTheFileOrder() throws Exception {
        UUID code1 = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        UUID code1b = UUID.fromString("00000000-0000-0000-0000-00000000001a");
        UUID code2 = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        load(batch(TICKETS, "b1", write(TICKETS_V1, Row.of(Op.INSERT, 10, 1, code1, "note 1"))));

        // Within one checkpoint: updates and an insert, then the column's type changes, then updates
        // that did not send the unchanged (TOASTed) note. The batch lists the newer version's file
        // first, as the writers' committables may: its part must still merge after the older one,
        // so the unsent notes come from the older records, not from the row before the batch.
        StagedFile newer = write(
                TICKETS_V2,
                Row.update(30, new int[] {TICKET_NOTE}, 1, "code 1-c", null),
                Row.update(31, new int[] {TICKET_NOTE}, 2, "code 2-b", null));
        StagedFile older = write(
                TICKETS_V1, Row.of(Op.UPDATE, 20, 1, code1b, "note 1-b"), Row.of(Op.INSERT, 21, 2, code2, "note 2"));

        assertThat(load(batch(TICKETS, "b2", newer, older)).rowsStaged()).isEqualTo(4);

        assertThat(ticketsWithMetadata("_elt_op", "_elt_position"))
                .containsExactly(
                        List.of(1, "code 1-c", "note 1-b", "UPDATE", new BigDecimal(30)),
                        List.of(2, "code 2-b", "note 2", "UPDATE", new BigDecimal(31)));
    }

    @Test
    void emptyFileAndEmptyBatch() throws Exception {
        StagedFile empty = StagedFiles.write(files, ITEMS_SCHEMA, List.of());

        assertThat(load(batch(ITEMS, "empty-file", empty))).isEqualTo(new LoadResult(0, 0, false));
        assertThat(items()).isEmpty(); // the table exists, with no rows
        assertThat(load(batch(ITEMS, "no-files"))).isEqualTo(new LoadResult(0, 0, false));
        assertThat(load(batch(ITEMS, "no-files"))).isEqualTo(LoadResult.alreadyLoaded());

        StagedFile rows = StagedFiles.write(files, ITEMS_SCHEMA, List.of(Row.of(Op.INSERT, 1, 1, "one")));
        assertThat(load(batch(ITEMS, "with-empty", empty, rows))).isEqualTo(new LoadResult(1, 1, false));
        assertThat(items()).containsExactly(List.of(1, "one"));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT batch_id, files, rows_staged FROM elt_cdc.loads ORDER BY batch_id"))
                    .containsExactly(
                            List.of("empty-file", 1, 0L), List.of("no-files", 0, 0L), List.of("with-empty", 2, 1L));
        }
    }

    @Test
    void compositeKey() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("shop", "lines"),
                List.of(
                        Column.of("tenant", ColumnType.STRING),
                        Column.of("line", ColumnType.INT64),
                        Column.of("qty", ColumnType.INT32)),
                List.of("tenant", "line"));
        load(batch(
                schema.id(),
                "b1",
                StagedFiles.write(
                        files,
                        schema,
                        List.of(
                                Row.of(Op.INSERT, 1, "a", 1L, 10),
                                Row.of(Op.INSERT, 2, "b", 1L, 20),
                                Row.of(Op.INSERT, 3, "a", 2L, 30)))));
        load(batch(
                schema.id(),
                "b2",
                StagedFiles.write(
                        files,
                        schema,
                        List.of(
                                Row.of(Op.UPDATE, 4, "b", 1L, 21),
                                Row.of(Op.DELETE, 5, "a", 2L, null),
                                Row.of(Op.INSERT, 6, "b", 2L, 40)))));

        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"shop\".\"lines\"", schema.columns(), "\"tenant\", \"line\""))
                    .containsExactlyElementsOf(TargetRows.expected(
                            schema.columns(), new Object[] {"a", 1L, 10}, new Object[] {"b", 1L, 21}, new Object[] {
                                "b", 2L, 40
                            }));
        }
    }

    @Test
    void tableWithoutKeyIsAppendedTo() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("logs", "events"),
                List.of(Column.of("message", ColumnType.STRING), Column.of("level", ColumnType.INT32)),
                List.of());
        StagedFile first = StagedFiles.write(
                files, schema, List.of(Row.of(Op.INSERT, 1, "started", 1), Row.of(Op.INSERT, 1, "started", 1)));
        StagedFile second = StagedFiles.write(
                files, schema, List.of(Row.of(Op.INSERT, 2, "started", 1), Row.of(Op.DELETE, 3, "started", 1)));

        assertThat(load(batch(schema.id(), "b1", first))).isEqualTo(new LoadResult(2, 2, false));
        assertThat(load(batch(schema.id(), "b2", second))).isEqualTo(new LoadResult(2, 2, false));
        assertThat(load(batch(schema.id(), "b2", second)).skipped()).isTrue();

        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT \"message\", \"level\", \"_elt_op\", \"_elt_position\" FROM \"logs\".\"events\""
                                    + " ORDER BY \"_elt_position\""))
                    .containsExactly(
                            List.of("started", 1, "INSERT", BigDecimal.ONE),
                            List.of("started", 1, "INSERT", BigDecimal.ONE),
                            List.of("started", 1, "INSERT", new BigDecimal(2)),
                            List.of("started", 1, "DELETE", new BigDecimal(3)));
        }
    }

    @Test
    void quotedAndReservedIdentifiers() throws Exception {
        TableSchema schema = new TableSchema(
                new TableId("Odd Schema", "Order Items"),
                List.of(
                        Column.of("select", ColumnType.INT32),
                        Column.of("Mixed Case \"quoted\"", ColumnType.STRING),
                        Column.of("from", ColumnType.STRING)),
                List.of("select"));
        load(batch(
                schema.id(),
                "b1",
                StagedFiles.write(
                        files, schema, List.of(Row.of(Op.INSERT, 1, 1, "x", "a"), Row.of(Op.INSERT, 2, 2, "y", "b")))));
        load(batch(
                schema.id(),
                "b2",
                StagedFiles.write(
                        files,
                        schema,
                        List.of(Row.of(Op.UPDATE, 3, 1, "x2", "a2"), Row.of(Op.DELETE, 4, 2, null, null)))));

        try (Connection c = connect()) {
            assertThat(TargetRows.read(c, "\"Odd Schema\".\"Order Items\"", schema.columns(), "\"select\""))
                    .containsExactlyElementsOf(TargetRows.expected(schema.columns(), new Object[] {1, "x2", "a2"}));
        }
    }
}
