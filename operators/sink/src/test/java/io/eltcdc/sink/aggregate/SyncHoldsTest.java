package io.eltcdc.sink.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.staging.TableBucketAssigner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-commit step's holds of tables synced while the pipeline streams, through real control files. */
class SyncHoldsTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableId ORDERS = new TableId("shop", "orders");

    @TempDir
    Path staging;

    private TableSyncControl control;
    private SyncHolds holds;

    @BeforeEach
    void setUp() {
        control = new TableSyncControl(staging.toUri().toString(), "p");
        holds = SyncHolds.of(control);
    }

    @Test
    void aSyncedTablesFilesWaitUntilItsSyncEndsThenGoOutTogether() throws Exception {
        control.started(ITEMS, Kind.RESYNC);

        List<FileSinkCommittable> first = files(file(ITEMS, 1), file(ORDERS, 1));
        assertThat(holds.apply(1, first)).isEmpty();
        assertThat(first).containsExactly(file(ORDERS, 1)); // the other table loads as usual

        List<FileSinkCommittable> second = files(file(ITEMS, 2));
        assertThat(holds.apply(2, second)).isEmpty();
        assertThat(second).isEmpty();

        control.ended(ITEMS, Kind.RESYNC);
        List<FileSinkCommittable> third = files(file(ITEMS, 3), file(ORDERS, 3));
        assertThat(holds.apply(3, third)).containsExactly(ITEMS); // replaced: a re-sync
        assertThat(third).containsExactlyInAnyOrder(file(ITEMS, 1), file(ITEMS, 2), file(ITEMS, 3), file(ORDERS, 3));

        assertThat(control.syncs()).containsKey(ITEMS);
        holds.checkpointComplete(2);
        assertThat(control.syncs())
                .as("cleared only once the releasing checkpoint completed")
                .containsKey(ITEMS);
        holds.checkpointComplete(3);
        assertThat(control.syncs()).isEmpty();
        List<FileSinkCommittable> after = files(file(ITEMS, 4));
        holds.apply(4, after);
        assertThat(after).containsExactly(file(ITEMS, 4));
    }

    @Test
    void aNewTableIsReleasedWithoutReplacingIt() throws Exception {
        control.started(ITEMS, Kind.NEW_TABLE);
        holds.apply(1, files(file(ITEMS, 1)));
        control.ended(ITEMS, Kind.NEW_TABLE);

        List<FileSinkCommittable> batch = files();
        assertThat(holds.apply(2, batch)).isEmpty();
        assertThat(batch).containsExactly(file(ITEMS, 1));
    }

    @Test
    void anEndSeenBeforeTheHoldDoesNotReleaseTheTable() throws Exception {
        // After a restore that lost the hold: the sync source starts the sync over, so the end file
        // of the earlier attempt must not release the table's first files on their own.
        control.started(ITEMS, Kind.RESYNC);
        control.ended(ITEMS, Kind.RESYNC);

        List<FileSinkCommittable> batch = files(file(ITEMS, 1));
        assertThat(holds.apply(1, batch)).isEmpty();
        assertThat(batch).isEmpty();
        assertThat(holds.snapshot().held()).containsKey(ITEMS);
    }

    @Test
    void holdsSurviveARestore() throws Exception {
        control.started(ITEMS, Kind.RESYNC);
        holds.apply(1, files(file(ITEMS, 1)));

        SyncHolds restored = SyncHolds.of(control);
        restored.restore(holds.snapshot());
        control.ended(ITEMS, Kind.RESYNC);
        List<FileSinkCommittable> batch = files(file(ITEMS, 2));

        assertThat(restored.apply(2, batch)).containsExactly(ITEMS);
        assertThat(batch).containsExactlyInAnyOrder(file(ITEMS, 1), file(ITEMS, 2));
    }

    @Test
    void aReleaseNotYetClearedIsClearedOnRestore() throws Exception {
        control.started(ITEMS, Kind.NEW_TABLE);
        holds.apply(1, files(file(ITEMS, 1)));
        control.ended(ITEMS, Kind.NEW_TABLE);
        holds.apply(2, files());
        SyncHoldsState state = holds.snapshot(); // checkpoint 2 released the table, and has not completed

        assertThat(state.held()).isEmpty();
        assertThat(state.heldFiles()).isEmpty();
        assertThat(state.released()).containsExactly(ITEMS);
        assertThat(control.syncs()).containsKey(ITEMS);
        SyncHolds.of(control).restore(state); // restored from checkpoint 2: it did complete
        assertThat(control.syncs()).isEmpty();
    }

    @Test
    void noneHoldsNothing() throws Exception {
        control.started(ITEMS, Kind.RESYNC); // control files are not read without table syncs
        holds.apply(1, files(file(ITEMS, 0)));
        SyncHolds none = SyncHolds.none();
        none.restore(holds.snapshot()); // holds of an earlier run with table syncs are not taken up

        List<FileSinkCommittable> batch = files(file(ITEMS, 1), file(ORDERS, 1));
        assertThat(none.apply(2, batch)).isEmpty();
        assertThat(batch).containsExactly(file(ITEMS, 1), file(ORDERS, 1));
        assertThat(none.heldFileCount()).isZero();
        assertThat(none.snapshot()).isEqualTo(SyncHoldsState.EMPTY);
    }

    private static List<FileSinkCommittable> files(FileSinkCommittable... files) {
        return new ArrayList<>(List.of(files));
    }

    /** A committable of the table's bucket; only its bucket id matters here. */
    private static FileSinkCommittable file(TableId table, int n) {
        return new FileSinkCommittable(
                TableBucketAssigner.bucketOf(table, "v1"),
                new org.apache.flink.core.fs.Path("/staging/part-" + table.table() + "-" + n));
    }
}
