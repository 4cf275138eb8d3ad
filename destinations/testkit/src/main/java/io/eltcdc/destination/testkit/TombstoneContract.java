package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Op;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract, part 4: tombstones while a table's snapshot is incomplete. When the change log is read
 * while the snapshot runs, a DELETE (high position) may load before the snapshot row of its key (the
 * lowest position). In hard-delete mode such batches ({@link LoadBatch#keepsTombstones()}) write a
 * DELETE winner as a tombstone, so the late snapshot row loses by position; the batch that completes
 * the snapshot ({@link LoadBatch#purgesTombstones()}) deletes the tombstones.
 */
public abstract class TombstoneContract extends SoftDeleteContract {

    @BeforeEach
    void requireTombstones() {
        Assumptions.assumeTrue(
                destination().supportsTombstones(), () -> destinationName() + " does not keep tombstones");
    }

    /** {@code batch} of a table whose snapshot is still loading. */
    private static LoadBatch duringSnapshot(LoadBatch batch) {
        return batch.withTombstones(true, false);
    }

    /** {@code batch}, the one that completes the table's snapshot. */
    private static LoadBatch completingSnapshot(LoadBatch batch) {
        return batch.withTombstones(true, true);
    }

    @Test
    void hardDeleteBeforeTheSnapshotRowOfItsKeyStaysDeleted() throws Exception {
        load(duringSnapshot(batch(
                ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 50, 1, null), Row.of(Op.INSERT, 51, 2, "two")))));
        // The DELETE of a key the target lacks is kept, as a tombstone.
        assertThat(itemsWithMetadata())
                .containsExactly(item(1, null, true, "DELETE", 50), item(2, "two", false, "INSERT", 51));

        // The snapshot rows of keys 1 and 3 (lower positions) arrive late: key 1 loses against its tombstone.
        load(duringSnapshot(batch(
                ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 1, "one"), Row.of(Op.READ, 10, 3, "three")))));
        assertThat(itemsWithMetadata())
                .containsExactly(
                        item(1, null, true, "DELETE", 50),
                        item(2, "two", false, "INSERT", 51),
                        item(3, "three", false, "READ", 10));

        load(completingSnapshot(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 4, "four")))));
        assertThat(itemsWithMetadata())
                .containsExactly(
                        item(2, "two", false, "INSERT", 51),
                        item(3, "three", false, "READ", 10),
                        item(4, "four", false, "READ", 10));
    }

    @Test
    void keyDeletedAndInsertedAgainDuringTheSnapshotHasTheNewValues() throws Exception {
        load(duringSnapshot(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.INSERT, 20, 1, "one")))));
        load(duringSnapshot(batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 30, 1, null)))));
        assertThat(itemsWithMetadata()).containsExactly(item(1, "one", true, "DELETE", 30));

        load(duringSnapshot(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.INSERT, 40, 1, "one-again")))));
        assertThat(itemsWithMetadata()).containsExactly(item(1, "one-again", false, "INSERT", 40));

        // Deleted and inserted again within one batch, with the late snapshot rows; key 3 deleted.
        load(duringSnapshot(batch(
                ITEMS,
                "b4",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.DELETE, 41, 2, null),
                        Row.of(Op.INSERT, 42, 2, "two-new"),
                        Row.of(Op.READ, 10, 2, "two"),
                        Row.of(Op.READ, 10, 1, "one-snapshot"),
                        Row.of(Op.DELETE, 43, 3, null)))));
        assertThat(itemsWithMetadata())
                .containsExactly(
                        item(1, "one-again", false, "INSERT", 40),
                        item(2, "two-new", false, "INSERT", 42),
                        item(3, null, true, "DELETE", 43));

        // The batch that completes the snapshot has no files of the table.
        load(completingSnapshot(batch(ITEMS, "b5")));

        assertThat(itemsWithMetadata())
                .containsExactly(item(1, "one-again", false, "INSERT", 40), item(2, "two-new", false, "INSERT", 42));
    }

    @Test
    void updateBeforeTheSnapshotRowOfItsKeyWins() throws Exception {
        load(duringSnapshot(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.UPDATE, 30, 1, "one-b")))));
        load(completingSnapshot(
                batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 1, "one"), Row.of(Op.READ, 10, 2, "two")))));

        assertThat(itemsWithMetadata())
                .containsExactly(item(1, "one-b", false, "UPDATE", 30), item(2, "two", false, "READ", 10));
    }

    @Test
    void purgeRemovesOnlyTombstonesAndALoadAgainChangesNothing() throws Exception {
        // A hard-delete table as it is before any tombstone: no _elt_deleted column.
        load(batch(
                ITEMS,
                "b1",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.READ, 10, 1, "one"),
                        Row.of(Op.READ, 10, 2, "two"),
                        Row.of(Op.READ, 10, 3, "three"))));
        assertThat(itemColumns()).doesNotContain(MetadataColumns.DELETED);

        load(duringSnapshot(batch(
                ITEMS,
                "b2",
                write(
                        ITEMS_SCHEMA,
                        Row.of(Op.DELETE, 20, 2, null),
                        Row.of(Op.DELETE, 21, 9, null),
                        Row.of(Op.UPDATE, 22, 3, "three-b")))));
        // The column is added for the tombstones (false for the rows there); a tombstone keeps the
        // row's last known values, as in soft-delete mode.
        assertThat(itemColumns()).contains(MetadataColumns.DELETED);
        assertThat(itemsWithMetadata())
                .containsExactly(
                        item(1, "one", false, "READ", 10),
                        item(2, "two", true, "DELETE", 20),
                        item(3, "three-b", false, "UPDATE", 22),
                        item(9, null, true, "DELETE", 21));

        LoadBatch complete =
                completingSnapshot(batch(ITEMS, "b3", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 4, "four"))));
        assertThat(load(complete)).isEqualTo(new LoadResult(1, 3, false)); // one insert, two tombstones purged
        List<List<Object>> purged = List.of(
                item(1, "one", false, "READ", 10),
                item(3, "three-b", false, "UPDATE", 22),
                item(4, "four", false, "READ", 10));
        assertThat(itemsWithMetadata()).containsExactlyElementsOf(purged);

        // Delivered again: the ledger has it, nothing changes.
        assertThat(load(complete)).isEqualTo(LoadResult.alreadyLoaded());
        assertThat(itemsWithMetadata()).containsExactlyElementsOf(purged);

        // The snapshot complete, a DELETE removes the row again.
        load(batch(ITEMS, "b4", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 30, 1, null))));
        assertThat(itemsWithMetadata()).containsExactlyElementsOf(purged.subList(1, 3));
    }

    @Test
    void softDeleteModeKeepsItsTombstonesThroughThePurge() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(duringSnapshot(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 50, 1, null)))));
        load(completingSnapshot(
                batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 1, "one"), Row.of(Op.READ, 10, 2, "two")))));

        assertThat(itemsWithMetadata())
                .containsExactly(item(1, null, true, "DELETE", 50), item(2, "two", false, "READ", 10));
    }

    /**
     * Without the flags (a snapshot read before the change log), a hard DELETE that loads before the
     * snapshot row of its key finds nothing to delete, and the late row comes back: the case the flags
     * are for.
     */
    @Test
    void withoutTheFlagsALateSnapshotRowComesBack() throws Exception {
        load(batch(ITEMS, "b1", write(ITEMS_SCHEMA, Row.of(Op.DELETE, 50, 1, null))));
        load(batch(ITEMS, "b2", write(ITEMS_SCHEMA, Row.of(Op.READ, 10, 1, "one"))));

        assertThat(items()).containsExactly(List.of(1, "one"));
        assertThat(itemColumns()).doesNotContain(MetadataColumns.DELETED);
    }
}
