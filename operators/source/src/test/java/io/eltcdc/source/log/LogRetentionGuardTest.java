package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogRetentionGuardTest {
    private static final long MB = 1L << 20;
    private static final String SLOT = "The replication slot 'elt_cdc_shop' on db:5432/shop";

    @Test
    void warnsOnceWhenCrossing80PercentAndAgainOnlyAfterFallingBelow() {
        LogRetentionGuard guard = new LogRetentionGuard(new LogRetention(100 * MB, false), SLOT);

        assertThat(guard.warning(79 * MB)).isNull();
        assertThat(guard.warning(82 * MB))
                .isEqualTo(SLOT + " holds 82.0 MB of log, 82 % of source.max-log-retention (100.0 MB). At the"
                        + " limit the pipeline stops; find what holds it back (a destination that is slow or away,"
                        + " checkpoints that fail), or raise source.max-log-retention.");
        assertThat(guard.warning(90 * MB)).isNull();
        assertThat(guard.warning(50 * MB)).isNull();
        assertThat(guard.warning(81 * MB)).contains("81 %");
        assertThat(guard.atLimit(99 * MB)).isFalse();
        assertThat(guard.atLimit(100 * MB)).isTrue();
    }

    @Test
    void neverWarnsWithoutALimitOrWhileUnknown() {
        LogRetentionGuard none = new LogRetentionGuard(LogRetention.UNLIMITED, SLOT);
        assertThat(none.warning(1L << 40)).isNull();
        assertThat(none.atLimit(1L << 40)).isFalse();
        LogRetentionGuard limited = new LogRetentionGuard(new LogRetention(100 * MB, false), SLOT);
        assertThat(limited.warning(-1)).isNull();
        assertThat(limited.atLimit(-1)).isFalse();
    }

    @Test
    void theStopNamesTheKeyTheSizesAndWhatToDo() {
        LogRetentionGuard guard = new LogRetentionGuard(new LogRetention(50L << 30, false), SLOT);
        assertThat(guard.limitMessage((50L << 30) + 300 * MB, false))
                .startsWith(SLOT + " holds 50.3 GB of log, more than source.max-log-retention (50.0 GB), so the"
                        + " pipeline stops before the server's disk fills; the slot is kept.")
                .contains("raise source.max-log-retention")
                .contains("re-sync");
        assertThat(guard.limitMessage(60L << 30, true))
                .contains("dropped its replication slot (source.on-log-retention-limit: drop-slot)")
                .contains("A re-sync is needed");
    }

    @Test
    void percentAndSizes() {
        LogRetention r = new LogRetention(200 * MB, false);
        assertThat(r.percentOf(150 * MB)).isEqualTo(75);
        assertThat(r.percentOf(-1)).isEqualTo(-1);
        assertThat(LogRetention.UNLIMITED.percentOf(5)).isEqualTo(-1);
        assertThat(LogRetention.describe(512)).isEqualTo("512 bytes");
        assertThat(LogRetention.describe(1536)).isEqualTo("1.5 kB");
    }
}
