package io.eltcdc.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.planner.ChunkingPlan;
import io.eltcdc.source.planner.TableSplitting;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Round trips of splits and enumerator state through their checkpoint forms. */
class ChunkSplitSerializerTest {
    /** A key of every kind of value a key can hold: int, text, decimal, timestamp, uuid, bytes, instant. */
    static final TableSchema WIDE_KEY = new TableSchema(
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

    static final TableSchema KEYLESS =
            new TableSchema(new TableId("public", "log"), List.of(Column.of("line", ColumnType.STRING)), List.of());

    private final ChunkSplitSerializer serializer = ChunkSplitSerializer.INSTANCE;

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

    @Test
    void versionIsThree() {
        assertThat(serializer.getVersion()).isEqualTo(3);
        assertThat(SnapshotEnumeratorStateSerializer.INSTANCE.getVersion()).isEqualTo(3);
    }

    @Test
    void theRowsPositionRoundTrips() throws IOException {
        // Version 1 splits, which have none, are read in ChunkSplitSerializerCompatibilityTest.
        ChunkSplit split = ChunkSplit.keyRange(WIDE_KEY, 7, false, key(1, "a"), key(2, "b"))
                .withPosition(new Position(0x16B374D848L, 0));
        assertThat(roundTrip(split).position()).isEqualTo(new Position(0x16B374D848L, 0));
    }

    @Test
    void theLogStartRoundTrips() throws IOException {
        SnapshotEnumeratorStateSerializer states = SnapshotEnumeratorStateSerializer.INSTANCE;
        for (LogStart start : List.of(LogStart.postgres(0x16B374D848L), LogStart.mysql("mysql-bin.000042", 1234))) {
            SnapshotEnumeratorState state =
                    new SnapshotEnumeratorState(true, start.position(), List.of(), List.of(), Map.of(), start);
            SnapshotEnumeratorState copy = states.deserialize(states.getVersion(), states.serialize(state));
            assertThat(copy.logStart()).isEqualTo(start);
            assertThat(copy).isEqualTo(state);
        }
    }

    @Test
    void aNewKeyRangeChunkRoundTrips() throws IOException {
        ChunkSplit split = ChunkSplit.keyRange(WIDE_KEY, 7, false, key(1, "a"), key(2, "b \"quoted\" ünï"));
        ChunkSplit copy = roundTrip(split);
        assertThat(copy).isEqualTo(split);
        assertThat(copy.splitId()).isEqualTo("hidden.Odd Table:7");
        assertThat(copy.schema()).isEqualTo(WIDE_KEY);
        assertThat(copy.lastKey()).isNull();
        assertThat(copy.upperBound()[1]).isEqualTo("b \"quoted\" ünï");
    }

    @Test
    void openEndedChunksRoundTrip() throws IOException {
        ChunkSplit first = ChunkSplit.keyRange(WIDE_KEY, 0, true, null, key(5, "x"));
        ChunkSplit last = ChunkSplit.keyRange(WIDE_KEY, 9, true, key(5, "x"), null);
        assertThat(roundTrip(first)).isEqualTo(first);
        assertThat(roundTrip(last)).isEqualTo(last);
        assertThat(roundTrip(last).partitioned()).isTrue();
    }

    @Test
    void aRestoredChunkKeepsItsLastKey() throws IOException {
        ChunkSplit split = ChunkSplit.keyRange(WIDE_KEY, 3, false, key(1, "a"), key(9, "z"))
                .withProgress(key(4, "m"), null);
        ChunkSplit copy = roundTrip(split);
        assertThat(copy).isEqualTo(split);
        assertThat(copy.lastKey()).isEqualTo(key(4, "m"));
        assertThat((byte[]) copy.lastKey()[5]).containsExactly(0, 1, 0xff);
    }

    @Test
    void aKeylessChunkKeepsItsRowLocation() throws IOException {
        ChunkSplit fresh = ChunkSplit.wholeTableByRowLocation(KEYLESS, 0, false);
        ChunkSplit resumed = fresh.withProgress(null, "(12,3)");
        assertThat(roundTrip(fresh)).isEqualTo(fresh);
        assertThat(roundTrip(resumed).lastRowLocation()).isEqualTo("(12,3)");
        assertThat(roundTrip(resumed).readOrder()).isEqualTo(ChunkSplit.ReadOrder.ROW_LOCATION);
    }

    @Test
    void anUnknownVersionIsRefused() throws IOException {
        byte[] bytes = serializer.serialize(ChunkSplit.wholeTableByRowLocation(KEYLESS, 0, false));
        assertThatThrownBy(() -> serializer.deserialize(4, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 4");
        assertThatThrownBy(() -> SnapshotEnumeratorStateSerializer.INSTANCE.deserialize(4, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 4");
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        TableSplitting unplanned = new TableSplitting(KEYLESS);
        TableSplitting halfway = new TableSplitting(
                WIDE_KEY,
                new ChunkingPlan(ChunkingPlan.Strategy.BOUNDARY, false, 12_345, true, 124, 0, 0, 0),
                5,
                key(7, "q"),
                false);
        TableSplitting arithmetic = new TableSplitting(
                new TableSchema(
                        new TableId("public", "ints"), List.of(Column.of("id", ColumnType.INT64)), List.of("id")),
                new ChunkingPlan(ChunkingPlan.Strategy.ARITHMETIC, true, 5_000_000, false, 50, -10, 4_999_990, 100_000),
                3,
                new Object[] {299_989L},
                false);
        ChunkSplit waiting = ChunkSplit.keyRange(WIDE_KEY, 4, false, key(6, "p"), key(7, "q"));
        ChunkSplit returned = ChunkSplit.keyRange(WIDE_KEY, 2, false, key(2, "c"), key(3, "d"))
                .withProgress(key(2, "cc"), null);
        TableProgress progress = new TableProgress(12_345, 124, 5, false, 2);
        SnapshotEnumeratorState state = new SnapshotEnumeratorState(
                true,
                new Position(7, -3),
                List.of(halfway, arithmetic, unplanned),
                List.of(waiting, returned),
                Map.of(WIDE_KEY.id(), progress, KEYLESS.id(), new TableProgress()));

        SnapshotEnumeratorStateSerializer states = SnapshotEnumeratorStateSerializer.INSTANCE;
        SnapshotEnumeratorState copy = states.deserialize(states.getVersion(), states.serialize(state));

        assertThat(copy).isEqualTo(state);
        assertThat(copy.startPosition()).isEqualTo(new Position(7, -3));
        assertThat(copy.pendingTables()).containsExactly(halfway, arithmetic, unplanned);
        assertThat(copy.pendingTables().get(0).nextLower()).isEqualTo(key(7, "q"));
        assertThat(copy.unassignedSplits()).containsExactly(waiting, returned);
        assertThat(copy.finishedChunks()).containsEntry(WIDE_KEY.id(), 2L).containsEntry(KEYLESS.id(), 0L);
        assertThat(copy.progress().get(WIDE_KEY.id()).chunksTotal()).isEqualTo(124);
    }

    @Test
    void theInitialStateRoundTrips() throws IOException {
        SnapshotEnumeratorStateSerializer states = SnapshotEnumeratorStateSerializer.INSTANCE;
        SnapshotEnumeratorState initial = SnapshotEnumeratorState.initial(Position.SNAPSHOT);
        SnapshotEnumeratorState copy = states.deserialize(states.getVersion(), states.serialize(initial));
        assertThat(copy).isEqualTo(initial);
        assertThat(copy.tablesDiscovered()).isFalse();
    }

    private ChunkSplit roundTrip(ChunkSplit split) throws IOException {
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
    }
}
