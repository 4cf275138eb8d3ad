package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link Destination#load}, run against each destination by a subclass: values
 * load exactly, batches load once, merges keep the record with the highest position.
 */
public abstract class DestinationContractTest {
    protected static final String PIPELINE = "contract";
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableSchema ITEMS_SCHEMA = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));

    @TempDir
    protected Path files;

    private Destination destination;

    /** Empties the destination: no tables from other tests. */
    protected abstract void resetDestination() throws Exception;

    protected abstract Destination createDestination(String schemaOverride, DeleteMode deleteMode) throws Exception;

    protected Destination createDestination(String schemaOverride) throws Exception {
        return createDestination(schemaOverride, DeleteMode.HARD);
    }

    /** A connection to read the destination with. */
    protected abstract Connection connect() throws SQLException;

    /** Text that failure messages use to name the destination. */
    protected abstract String destinationName();

    @BeforeEach
    void setUpDestination() throws Exception {
        resetDestination();
        destination = createDestination(null);
    }

    @AfterEach
    void closeDestination() throws Exception {
        if (destination != null) { // null when the set-up was skipped (a destination's service not configured)
            destination.close();
        }
    }

    protected Destination destination() {
        return destination;
    }

    /**
     * Whether the destination widens a column's type in place (integer to bigint, numeric(6,2) to
     * numeric(12,3)). Redshift cannot (it only makes a VARCHAR longer): it refuses the change instead.
     */
    protected boolean widensColumnTypes() {
        return true;
    }

    /**
     * Whether the destination renames a column the source renamed (keeping its values). BigQuery
     * does not yet: there a rename is a new column, and the old one keeps its values.
     */
    protected boolean renamesColumns() {
        return true;
    }

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

    private static final TableSchema DOCS = new TableSchema(
            new TableId("shop", "docs"),
            List.of(
                    new Column("id", ColumnType.INT64, 0, 0, false, "int8"),
                    Column.of("title", ColumnType.STRING),
                    Column.of("body", ColumnType.STRING),
                    Column.of("meta", ColumnType.JSON),
                    Column.of("blob", ColumnType.BYTES),
                    Column.decimal("amount", 10, 2)),
            List.of("id"));
    private static final int BODY = 2;
    private static final int META = 3;
    private static final int BLOB = 4;

    @Test
    void unsentColumnsKeepTheTargetsValues() throws Exception {
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(
                                Op.INSERT,
                                10,
                                1L,
                                "t1",
                                "body one",
                                "{\"a\": 1}",
                                new byte[] {1, 2},
                                new BigDecimal("1.50")),
                        Row.of(Op.INSERT, 10, 2L, "t2", "body two", "{}", new byte[] {3}, new BigDecimal("2.00")))));

        LoadResult result = load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        Row.update(
                                20, new int[] {BODY, META, BLOB}, 1L, "t1-b", null, null, null, new BigDecimal("9.99")),
                        Row.of(Op.UPDATE, 20, 2L, "t2-b", null, "[1]", null, null)))); // NULLs that were sent are NULLs

        assertThat(result).isEqualTo(new LoadResult(2, 2, false));
        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t1-b", "body one", "{\"a\": 1}", new byte[] {1, 2}, new BigDecimal("9.99")},
                        new Object[] {2L, "t2-b", null, "[1]", null, null}));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT \"id\", \"_elt_op\", \"_elt_position\" FROM \"shop\".\"docs\" ORDER BY \"id\""))
                    .containsExactly(
                            List.of(1L, "UPDATE", new BigDecimal(20)), List.of(2L, "UPDATE", new BigDecimal(20)));
        }
    }

    @Test
    void unsentColumnsTakeTheValueOfAnEarlierRecordOfTheBatch() throws Exception {
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(Op.INSERT, 50, 2L, "t2", "body two (at 50)", "{}", null, null),
                        Row.of(Op.INSERT, 5, 3L, "t3", "body three (at 5)", "{}", null, null))));

        load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        // Inserted and updated in one checkpoint, each column from the latest record that sent it.
                        Row.of(Op.INSERT, 10, 1L, "t", "body 1", "{\"v\": 1}", new byte[] {1}, new BigDecimal("1.00")),
                        Row.update(20, new int[] {META, BLOB}, 1L, "t", "body 2", null, null, new BigDecimal("2.00")),
                        Row.update(
                                30, new int[] {BODY, META, BLOB}, 1L, "t-3", null, null, null, new BigDecimal("3.00")),
                        // The target's row (position 50) is newer than the batch's record of the key (40): its value
                        // holds.
                        Row.of(Op.UPDATE, 40, 2L, "stale", "stale body", "{}", null, null),
                        Row.update(60, new int[] {BODY}, 2L, "t2-b", null, "{}", null, null),
                        // The batch's record (20) is newer than the target's row (5): its value holds.
                        Row.of(Op.UPDATE, 20, 3L, "t3-b", "body three (at 20)", "{}", null, null),
                        Row.update(30, new int[] {BODY}, 3L, "t3-c", null, "{}", null, null))));

        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t-3", "body 2", "{\"v\": 1}", new byte[] {1}, new BigDecimal("3.00")},
                        new Object[] {2L, "t2-b", "body two (at 50)", "{}", null, null},
                        new Object[] {3L, "t3-c", "body three (at 20)", "{}", null, null}));
    }

    @Test
    void unsentColumnsOfARowTheTargetLacksAreNull() throws Exception {
        // A target without the key: only inserts.
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.update(
                                20,
                                new int[] {BODY, META, BLOB},
                                7L,
                                "t7",
                                null,
                                null,
                                null,
                                new BigDecimal("7.00")))));
        // A target with some of the keys: the full merge.
        load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        Row.update(30, new int[] {BODY}, 7L, "t7-b", null, "{\"x\": 7}", null, null),
                        Row.update(
                                30, new int[] {BODY, BLOB}, 8L, "t8", null, "{}", null, BigDecimal.ONE.setScale(2)))));

        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {7L, "t7-b", null, "{\"x\": 7}", null, null},
                        new Object[] {8L, "t8", null, "{}", null, new BigDecimal("1.00")}));
    }

    @Test
    void mixedBatchAcrossFilesOfEveryLayout() throws Exception {
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(Op.READ, 1, 1L, "t1", "body 1", "{}", new byte[] {1}, null),
                        Row.of(Op.READ, 1, 2L, "t2", "body 2", "{}", new byte[] {2}, null),
                        Row.of(Op.READ, 1, 3L, "t3", "body 3", "{}", new byte[] {3}, null))));

        // Complete records first (the staging table gets the unchanged column mid-batch), in a file
        // of the old layout, then files of the staging writer and the test writer with unsent columns.
        StagedFile old = StagedFiles.writeWithoutUnchangedField(
                files,
                DOCS,
                List.of(
                        Row.of(Op.UPDATE, 10, 1L, "t1-b", "body 1-b", "{}", new byte[] {1}, null),
                        Row.of(Op.INSERT, 10, 4L, "t4", "body 4", "{\"four\": 4}", new byte[] {4}, null),
                        Row.of(Op.UPDATE, 10, 3L, "t3-b", "body 3-b", "{}", null, null)));
        StagedFile staged = StagedFiles.writeWithStagingWriter(
                files,
                DOCS,
                List.of(
                        Row.update(20, new int[] {BODY, META}, 1L, "t1-c", null, null, new byte[] {11}, null),
                        Row.update(20, new int[] {BODY, BLOB}, 2L, "t2-c", null, "[2]", null, null),
                        Row.update(20, new int[] {META}, 4L, "t4-b", "body 4-b", null, new byte[] {44}, null)));
        StagedFile current = write(
                DOCS,
                Row.of(Op.DELETE, 30, 3L, null, null, null, null, null),
                Row.update(30, new int[] {BLOB}, 5L, "t5", "body 5", "{}", null, null));

        LoadResult result = load(batch(DOCS.id(), "b2", old, staged, current));

        assertThat(result.rowsStaged()).isEqualTo(8);
        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t1-c", "body 1-b", "{}", new byte[] {11}, null},
                        new Object[] {2L, "t2-c", "body 2", "[2]", new byte[] {2}, null},
                        new Object[] {4L, "t4-b", "body 4-b", "{\"four\": 4}", new byte[] {44}, null},
                        new Object[] {5L, "t5", "body 5", "{}", null, null}));

        // Files of one layout only, without unsent columns, still load as before.
        load(batch(
                DOCS.id(),
                "b3",
                StagedFiles.writeWithoutUnchangedField(
                        files,
                        DOCS,
                        List.of(Row.of(Op.UPDATE, 40, 5L, "t5-b", "body 5-b", "{}", new byte[] {5}, null)))));
        assertThat(docs().get(3))
                .isEqualTo(TargetRows.expected(
                                DOCS.columns(), new Object[] {5L, "t5-b", "body 5-b", "{}", new byte[] {5}, null})
                        .get(0));
    }

    @Test
    void softDeleteAfterAnUpdateWithUnsentColumns() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(Op.INSERT, 10, 1L, "t1", "body 1", "{\"a\": 1}", new byte[] {1}, new BigDecimal("1.00")),
                        Row.of(Op.INSERT, 10, 2L, "t2", "body 2", "{}", new byte[] {2}, new BigDecimal("2.00")))));

        load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        Row.update(
                                20,
                                new int[] {BODY},
                                1L,
                                "t1-b",
                                null,
                                "{\"a\": 2}",
                                new byte[] {1},
                                new BigDecimal("1.10")),
                        Row.of(Op.DELETE, 30, 1L, null, null, null, null, null),
                        Row.update(
                                20,
                                new int[] {BODY, META},
                                2L,
                                "t2-b",
                                null,
                                null,
                                new byte[] {22},
                                new BigDecimal("2.20")))));

        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t1-b", "body 1", "{\"a\": 2}", new byte[] {1}, new BigDecimal("1.10")},
                        new Object[] {2L, "t2-b", "body 2", "{}", new byte[] {22}, new BigDecimal("2.20")}));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT \"id\", \"_elt_op\", \"_elt_deleted\" FROM \"shop\".\"docs\" ORDER BY \"id\""))
                    .containsExactly(List.of(1L, "DELETE", true), List.of(2L, "UPDATE", false));
        }
    }

    @Test
    void fileThatDidNotSendAKeyColumnFailsTheBatch() throws Exception {
        // ChangeRecord refuses such a record; a file that holds one anyway is refused by the load.
        TableSchema byTitle = new TableSchema(DOCS.id(), DOCS.columns(), List.of("title"));

        assertThatThrownBy(() -> load(batch(DOCS.id(), "bad", writeRaw(byTitle, new int[] {1}))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("batch bad of table shop.docs")
                .hasMessageContaining("lacks the value of key column title");
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT count(*) FROM \"shop\".\"docs\"")).containsExactly(List.of(0L));
        }
    }

    /** A file of {@code schema} with one record that claims not to have sent {@code unchanged}, bypassing ChangeRecord's checks. */
    private StagedFile writeRaw(TableSchema schema, int[] unchanged) throws Exception {
        Schema avro = AvroSchemas.toAvro(schema);
        File file = files.resolve("raw-" + System.nanoTime() + ".avro").toFile();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(avro))) {
            writer.create(avro, file);
            GenericData.Record record = new GenericData.Record(avro);
            record.put(0, 1L);
            record.put(AvroSchemas.OP_FIELD, "UPDATE");
            record.put(AvroSchemas.POSITION_FIELD, AvroValues.positionToAvro(new Position(0, 1)));
            record.put(AvroSchemas.UNCHANGED_FIELD, AvroValues.unchangedToAvro(unchanged));
            writer.append(record);
        }
        return new StagedFile(file.toURI().toString(), file.length());
    }

    private List<List<Object>> docs() throws SQLException {
        try (Connection c = connect()) {
            return TargetRows.read(c, "\"shop\".\"docs\"", DOCS.columns(), "\"id\"");
        }
    }

    /** Replaces the destination by one of {@code mode}. */
    protected void useDeleteMode(DeleteMode mode) throws Exception {
        destination.close();
        destination = createDestination(null, mode);
    }

    private StagedFile write(TableSchema schema, Row... rows) throws Exception {
        return StagedFiles.write(files, schema, List.of(rows));
    }

    private List<List<Object>> itemsWithMetadata() throws SQLException {
        try (Connection c = connect()) {
            return query(
                    c,
                    "SELECT \"id\", \"name\", \"_elt_deleted\", \"_elt_op\", \"_elt_position\""
                            + " FROM \"shop\".\"items\" ORDER BY \"id\"");
        }
    }

    private static List<Object> item(int id, String name, boolean deleted, String op, long position) {
        return Arrays.asList(id, name, deleted, op, new BigDecimal(position));
    }

    private Instant syncedAt(int id) throws SQLException {
        try (Connection c = connect()) {
            return (Instant) query(c, "SELECT \"_elt_synced_at\" FROM \"shop\".\"items\" WHERE \"id\" = " + id)
                    .get(0)
                    .get(0);
        }
    }

    private List<String> itemColumns() throws SQLException {
        try (Connection c = connect()) {
            return query(
                            c,
                            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'shop'"
                                    + " AND table_name = 'items' ORDER BY ordinal_position")
                    .stream()
                    .map(r -> (String) r.get(0))
                    .toList();
        }
    }

    protected LoadResult load(LoadBatch batch) throws Exception {
        return destination.load(batch);
    }

    protected static LoadBatch batch(TableId table, String id, StagedFile... staged) {
        return new LoadBatch(PIPELINE, table, id, Arrays.asList(staged));
    }

    protected List<List<Object>> items() throws SQLException {
        try (Connection c = connect()) {
            return query(c, "SELECT \"id\", \"name\" FROM \"shop\".\"items\" ORDER BY \"id\"");
        }
    }

    private List<List<Object>> everything(String table) throws SQLException {
        try (Connection c = connect()) {
            return query(c, "SELECT * FROM " + table + " ORDER BY 1");
        }
    }

    /** Rows as lists of JDBC objects; decimals as BigDecimal, timestamps as instants (comparable across reads). */
    protected static List<List<Object>> query(Connection c, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object value = r.getObject(i);
                    if (value instanceof Timestamp ts) {
                        value = ts.toInstant();
                    } else if (value instanceof OffsetDateTime odt) {
                        value = odt.toInstant();
                    } else if (value instanceof BigDecimal || value instanceof Instant) {
                        // as is
                    } else if (value != null && value.getClass().getName().startsWith("org.duckdb")) {
                        value = r.getString(i);
                    }
                    row.add(value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
