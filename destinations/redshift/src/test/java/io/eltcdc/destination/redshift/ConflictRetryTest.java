package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures are Redshift cancelling a transaction for a conflict, and how often a load transaction runs again. */
class ConflictRetryTest {
    /** Error 1023 as the Redshift JDBC driver 2.x reports it (SQLSTATE XX000, like any internal error). */
    static SQLException serializableIsolationViolation() {
        return new SQLException(
                "ERROR: 1023\n  Detail: Serializable isolation violation on table - 100167, transactions forming"
                        + " the cycle are: 55705701, 55705754 (pid:16606)",
                "XX000");
    }

    private final List<Duration> pauses = new ArrayList<>();
    private final ConflictRetry retry = new ConflictRetry(pauses::add);

    @Test
    void serializableIsolationViolationsAndSnapshotConflictsAreConflicts() {
        assertThat(ConflictRetry.isConflict(serializableIsolationViolation())).isTrue();
        // The 1.x driver's form.
        assertThat(ConflictRetry.isConflict(new SQLException(
                        "[Amazon](500310) Invalid operation: 1023 \nDetails: Serializable isolation violation on table"
                                + " - 100167, transactions forming the cycle are: 55705701, 55705754 (pid:16606);",
                        "XX000",
                        500310)))
                .isTrue();
        // A database with snapshot isolation.
        assertThat(ConflictRetry.isConflict(new SQLException(
                        "ERROR: could not complete because of conflict with concurrent transaction", "XX000")))
                .isTrue();
        // As the loader wraps it: the statement appended, as a cause, as a next exception.
        SQLException withStatement = new SQLException(
                serializableIsolationViolation().getMessage() + "\n  in: INSERT INTO \"elt_cdc\".\"loads\" …",
                "XX000",
                0,
                serializableIsolationViolation());
        assertThat(ConflictRetry.isConflict(withStatement)).isTrue();
        assertThat(ConflictRetry.isConflict(new IllegalStateException("load failed", serializableIsolationViolation())))
                .isTrue();
        SQLException batch = new SQLException("Batch entry 0 was aborted", "XX000");
        batch.setNextException(serializableIsolationViolation());
        assertThat(ConflictRetry.isConflict(batch)).isTrue();
    }

    @Test
    void otherFailuresAreNotConflicts() {
        assertThat(ConflictRetry.isConflict(new SQLException("ERROR: relation \"shop.items\" does not exist", "42P01")))
                .isFalse();
        assertThat(ConflictRetry.isConflict(new SQLException("ERROR: internal error", "XX000")))
                .isFalse();
        assertThat(ConflictRetry.isConflict(new IllegalStateException("COPY loaded 1023 rows of the 1024")))
                .isFalse();
        assertThat(ConflictRetry.isConflict(new IOException((String) null))).isFalse();
    }

    @Test
    void aConflictRunsTheTransactionAgainAfterAGrowingPause() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        String result = retry.run("shop.items, batch b1", () -> {
            if (runs.incrementAndGet() < 3) {
                throw serializableIsolationViolation();
            }
            return "loaded";
        });
        assertThat(result).isEqualTo("loaded");
        assertThat(runs).hasValue(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        SQLException missing = new SQLException("ERROR: relation \"shop.items\" does not exist", "42P01");
        assertThatThrownBy(() -> retry.run("shop.items, batch b1", () -> {
                    runs.incrementAndGet();
                    throw missing;
                }))
                .isSameAs(missing);
        assertThat(runs).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void conflictsBeyondTheLastAttemptFailSayingWhatToLookFor() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> retry.run("shop.items, batch b1", () -> {
                    runs.incrementAndGet();
                    throw serializableIsolationViolation();
                }))
                .isInstanceOf(SQLException.class)
                .hasMessage("Redshift cancelled the load transaction 5 times for conflicts with concurrent"
                        + " transactions; the last time: ERROR: 1023 Detail: Serializable isolation violation on"
                        + " table - 100167, transactions forming the cycle are: 55705701, 55705754 (pid:16606)."
                        + " Another session keeps writing to a table the load uses (elt_cdc.loads or the target"
                        + " table): find it in STL_TR_CONFLICT and SVV_TRANSACTIONS, and stop it or have it LOCK"
                        + " elt_cdc.loads first, as the loads do")
                .hasCauseInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("XX000"));
        assertThat(runs).hasValue(ConflictRetry.ATTEMPTS);
        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    }
}
