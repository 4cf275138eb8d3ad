package io.eltcdc.destination.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.model.TableId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The tombstone rules every destination takes from {@link MergeRules}. */
class MergeRulesTest {
    private static final LoadBatch PLAIN = new LoadBatch("p", new TableId("shop", "items"), "b1", List.of());
    private static final LoadBatch DURING_SNAPSHOT = PLAIN.withTombstones(true, false);
    private static final LoadBatch COMPLETING = PLAIN.withTombstones(true, true);

    @Test
    void aHardDeleteTableMergesInSoftModeWhileItsSnapshotIsIncomplete() {
        assertThat(MergeRules.deleteModeOf(DeleteMode.HARD, DURING_SNAPSHOT, true))
                .isEqualTo(DeleteMode.SOFT);
        assertThat(MergeRules.deleteModeOf(DeleteMode.HARD, COMPLETING, true)).isEqualTo(DeleteMode.SOFT);
        // Without the flag, as before.
        assertThat(MergeRules.deleteModeOf(DeleteMode.HARD, PLAIN, true)).isEqualTo(DeleteMode.HARD);
        assertThat(MergeRules.deleteModeOf(DeleteMode.HARD, PLAIN.withTombstones(false, true), true))
                .isEqualTo(DeleteMode.HARD);
        // A table without key appends its records: no tombstones.
        assertThat(MergeRules.deleteModeOf(DeleteMode.HARD, DURING_SNAPSHOT, false))
                .isEqualTo(DeleteMode.HARD);
        // Soft-delete mode is soft whatever the flags.
        assertThat(MergeRules.deleteModeOf(DeleteMode.SOFT, PLAIN, true)).isEqualTo(DeleteMode.SOFT);
        assertThat(MergeRules.deleteModeOf(DeleteMode.SOFT, DURING_SNAPSHOT, true))
                .isEqualTo(DeleteMode.SOFT);
    }

    @Test
    void onlyTheBatchCompletingTheSnapshotOfAHardDeleteTableWithTombstonesPurges() {
        assertThat(MergeRules.purgesTombstones(DeleteMode.HARD, COMPLETING, true))
                .isTrue();
        assertThat(MergeRules.purgesTombstones(DeleteMode.HARD, PLAIN.withTombstones(false, true), true))
                .isTrue();
        assertThat(MergeRules.purgesTombstones(DeleteMode.HARD, COMPLETING, false))
                .isFalse(); // no column
        assertThat(MergeRules.purgesTombstones(DeleteMode.HARD, DURING_SNAPSHOT, true))
                .isFalse();
        assertThat(MergeRules.purgesTombstones(DeleteMode.HARD, PLAIN, true)).isFalse();
        assertThat(MergeRules.purgesTombstones(DeleteMode.SOFT, COMPLETING, true))
                .isFalse();
    }

    @Test
    void thePurgeIsOneDeleteSpelledByTheDestination() {
        assertThat(MergeRules.purgeTombstones(MergeRules.COMMA_SEPARATED, "\"shop\".\"items\""))
                .isEqualTo("DELETE FROM \"shop\".\"items\" WHERE \"_elt_deleted\" = TRUE");
        assertThat(MergeRules.purgeTombstones(
                        MergeRules.commaSeparated(n -> n.toUpperCase(Locale.ROOT)), "\"SHOP\".\"ITEMS\""))
                .isEqualTo("DELETE FROM \"SHOP\".\"ITEMS\" WHERE \"_ELT_DELETED\" = TRUE");
    }

    @Test
    void theOldConstructorsMakeBatchesWithoutTombstones() {
        assertThat(PLAIN.keepsTombstones()).isFalse();
        assertThat(PLAIN.purgesTombstones()).isFalse();
        LoadBatch resync = new LoadBatch("p", PLAIN.table(), "b2", List.of(), true);
        assertThat(resync.replacesTable()).isTrue();
        assertThat(resync.keepsTombstones()).isFalse();
        assertThat(COMPLETING.withTombstones(false, false)).isEqualTo(PLAIN);
    }
}
