package io.eltcdc.source.snapshot;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.planner.ChunkingPlan;
import io.eltcdc.source.planner.TableSplitting;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The values in the snapshot source's state fixtures: written into them once, and what restoring
 * them must give. The fixtures hold them, so they never change; new values go into the fixtures of
 * a new version.
 */
final class SnapshotStateSamples {
    private SnapshotStateSamples() {}

    /** A key of every kind of value a key can hold, and two nullable columns outside it. */
    static final TableSchema ORDERS = new TableSchema(
            new TableId("hidden", "Odd Table"),
            List.of(
                    new Column("Order", ColumnType.INT32, 0, 0, false, "integer"),
                    new Column("name", ColumnType.STRING, 0, 0, false, "text"),
                    new Column("amount", ColumnType.DECIMAL, 12, 3, false, "numeric(12,3)"),
                    new Column("at", ColumnType.TIMESTAMP, 0, 0, false, "timestamp without time zone"),
                    new Column("id", ColumnType.UUID, 0, 0, false, "uuid"),
                    new Column("raw", ColumnType.BYTES, 0, 0, false, "bytea"),
                    new Column("seen", ColumnType.TIMESTAMP_TZ, 0, 0, false, "timestamp with time zone"),
                    new Column("day", ColumnType.DATE, 0, 0, true, "date"),
                    new Column("payload", ColumnType.JSON, 0, 0, true, "jsonb")),
            List.of("Order", "name", "amount", "at", "id", "raw", "seen"));

    static final TableSchema LOG =
            new TableSchema(new TableId("public", "log"), List.of(Column.of("line", ColumnType.STRING)), List.of());

    static final TableSchema INTS =
            new TableSchema(new TableId("public", "ints"), List.of(Column.of("id", ColumnType.INT64)), List.of("id"));

    /** What the rows of the splits carry (versions 2 and later). */
    static final Position ROWS_POSITION = new Position(0x16B374D848L, 3);

    static final LogStart LOG_START = new LogStart(new Position(0x2A000004D2L, 0), "mysql-bin.000042", 1234);

    static Object[] key(int order, String name) {
        return new Object[] {
            order,
            name,
            new BigDecimal("-12345.678"),
            LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000),
            UUID.fromString("0b6f6c1e-9f3a-4b7e-8a2d-5f1c2e3d4a5b"),
            new byte[] {0, 1, (byte) 0xff},
            Instant.parse("1883-11-18T12:00:00.000001Z")
        };
    }

    /** A chunk read by key, partway through, of a partitioned table. */
    static ChunkSplit splitByKey(Position position) {
        return new ChunkSplit(
                ORDERS,
                7,
                ChunkSplit.ReadOrder.KEY,
                true,
                key(1, "a"),
                key(2, "b \"quoted\" ünï"),
                key(1, "am"),
                null,
                position);
    }

    /** A keyless table's single chunk, partway through. */
    static ChunkSplit splitByRowLocation(Position position) {
        return new ChunkSplit(LOG, 0, ChunkSplit.ReadOrder.ROW_LOCATION, false, null, null, null, "(12,3)", position);
    }

    /** Splitting stopped halfway through a boundary-planned table, one arithmetic table and one unplanned. */
    static List<TableSplitting> pendingTables() {
        return List.of(
                new TableSplitting(
                        ORDERS,
                        new ChunkingPlan(ChunkingPlan.Strategy.BOUNDARY, true, 12_345, true, 124, 0, 0, 0),
                        8,
                        key(2, "b \"quoted\" ünï"),
                        false),
                new TableSplitting(
                        INTS,
                        new ChunkingPlan(
                                ChunkingPlan.Strategy.ARITHMETIC, false, 5_000_000, false, 50, -10, 4_999_990, 100_000),
                        3,
                        new Object[] {299_989L},
                        false),
                new TableSplitting(LOG));
    }

    static Map<TableId, TableProgress> progress() {
        Map<TableId, TableProgress> progress = new LinkedHashMap<>();
        progress.put(ORDERS.id(), new TableProgress(12_345, 124, 8, false, 6));
        progress.put(INTS.id(), new TableProgress(5_000_000, 50, 3, false, 1));
        progress.put(LOG.id(), new TableProgress());
        return progress;
    }

    /** An enumerator state with every part filled; {@code logStart} and the splits' position as of the version. */
    static SnapshotEnumeratorState enumeratorState(Position splitsPosition, LogStart logStart) {
        return new SnapshotEnumeratorState(
                true,
                LOG_START.position(),
                pendingTables(),
                List.of(splitByKey(splitsPosition), splitByRowLocation(splitsPosition)),
                progress(),
                logStart);
    }

    /** Two known tables, one of them with odd characters, and a new table's sync under way. */
    static TableSyncState tableSyncState() {
        return new TableSyncState(
                List.of(new TableId("shop", "items"), new TableId("Odd Schema", "a.b/c ü")),
                new TableId("shop", "returns"),
                Kind.NEW_TABLE);
    }
}
