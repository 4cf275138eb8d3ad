package io.eltcdc.sink.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableId;
import io.eltcdc.sink.StateFixtures;
import io.eltcdc.sink.commit.StagedBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch's tombstone lists become the flags of its tables' loads. */
class TableLoadTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final TableId USERS = new TableId("shop", "users");

    @Test
    void aTableWhoseSnapshotCompletesIsLoadedToPurgeEvenWithoutFiles() throws Exception {
        StagedBatch batch = new StagedBatch(
                7,
                List.of(StateFixtures.pendingFile(ORDERS, "part-0-1.avro", 10)),
                List.of(),
                List.of(ORDERS, ITEMS),
                List.of(ITEMS));

        List<TableLoad> loads = TableLoad.of(batch, 1);

        assertThat(loads).extracting(TableLoad::table).containsExactly(ITEMS, ORDERS);
        TableLoad items = loads.get(0);
        assertThat(items.files()).isEmpty();
        assertThat(items.keepsTombstones()).isTrue();
        assertThat(items.purgesTombstones()).isTrue();
        assertThat(items.batchId()).endsWith("-purge-7");
        TableLoad orders = loads.get(1);
        assertThat(orders.keepsTombstones()).isTrue();
        assertThat(orders.purgesTombstones()).isFalse();
        assertThat(orders.batchId()).doesNotContain("purge");
    }

    @Test
    void tablesNotNamedKeepNoTombstones() throws Exception {
        StagedBatch batch =
                new StagedBatch(8, List.of(StateFixtures.pendingFile(USERS, "part-0-2.avro", 10)), List.of());

        TableLoad users = TableLoad.of(batch, 2).get(0);

        assertThat(users.keepsTombstones()).isFalse();
        assertThat(users.purgesTombstones()).isFalse();
    }
}
