package io.eltcdc.destination.redshift;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a load transaction again when Redshift cancelled it for a conflict with a concurrent
 * transaction: at most {@link #ATTEMPTS} times in all, pausing {@link #FIRST_PAUSE}, then twice as
 * long each time. Any other failure is thrown at once; conflicts beyond the last attempt fail with
 * a message that says what to look for.
 *
 * <ul>
 *   <li>A conflict ({@link #isConflict}): error 1023, "Serializable isolation violation on table …",
 *       which Redshift reports with the unspecific SQLSTATE XX000, so its message decides; and
 *       "could not complete because of conflict with concurrent transaction", the same cancellation
 *       in a database with snapshot isolation. AWS's first remedy for 1023 is to retry the
 *       cancelled transaction.
 *   <li>Running again is safe: the cancelled transaction was rolled back whole (its temporary
 *       tables too), the new one asks the ledger again (a batch that loaded meanwhile changes
 *       nothing), and the load files stay until the load has committed.
 *   <li>Each retry logs one warning: the batch, the server's message, the pause and the attempt.
 *   <li>Loads already serialize on the ledger ({@link LedgerLockSession}); what is left to conflict
 *       with is other sessions writing the tables a load uses.
 * </ul>
 */
final class ConflictRetry {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictRetry.class);

    static final int ATTEMPTS = 5;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    private static final String SERIALIZABLE = "serializable isolation violation";
    private static final String SNAPSHOT = "conflict with concurrent transaction";

    /** How the retry waits: {@link Thread#sleep} in the job, a recorder in tests. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Pause pause;

    ConflictRetry() {
        this(duration -> Thread.sleep(duration.toMillis()));
    }

    ConflictRetry(Pause pause) {
        this.pause = pause;
    }

    /**
     * Runs {@code transaction}, again after a conflict; see the class comment.
     *
     * @param what how the log names the transaction ("shop.items, batch 42")
     */
    <T> T run(String what, Callable<T> transaction) throws Exception {
        Duration wait = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.call();
            } catch (Exception e) {
                if (!isConflict(e)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw gaveUp(e);
                }
                LOG.warn(
                        "{}: Redshift cancelled the load transaction for a conflict with a concurrent transaction"
                                + " ({}); running it again in {} ms (attempt {} of {})",
                        what,
                        summary(e.getMessage()),
                        wait.toMillis(),
                        attempt + 1,
                        ATTEMPTS);
                pause.sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    /**
     * Whether {@code failure} (or one of its causes, or a next exception of an SQLException) is
     * Redshift cancelling the transaction for a conflict with a concurrent one.
     */
    static boolean isConflict(Throwable failure) {
        Set<Throwable> seen = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                seen.add(sql.getNextException());
            }
        }
        for (Throwable t : seen) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains(SERIALIZABLE) || message.contains(SNAPSHOT)) {
                return true;
            }
        }
        return false;
    }

    private static SQLException gaveUp(Exception last) {
        String state = last instanceof SQLException sql ? sql.getSQLState() : null;
        return new SQLException(
                "Redshift cancelled the load transaction " + ATTEMPTS + " times for conflicts with concurrent"
                        + " transactions; the last time: " + summary(last.getMessage()) + ". Another session keeps"
                        + " writing to a table the load uses (elt_cdc.loads or the target table): find it in"
                        + " STL_TR_CONFLICT and SVV_TRANSACTIONS, and stop it or have it LOCK elt_cdc.loads"
                        + " first, as the loads do",
                state,
                last);
    }

    /** The server's message on one line, without the statement that {@code JdbcStatements} appends. */
    private static String summary(String message) {
        if (message == null) {
            return "no message";
        }
        int statement = message.indexOf("\n  in: ");
        return (statement < 0 ? message : message.substring(0, statement))
                .replaceAll("\\s+", " ")
                .trim();
    }
}
