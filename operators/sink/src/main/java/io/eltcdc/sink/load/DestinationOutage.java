package io.eltcdc.sink.load;

import io.eltcdc.model.TransientFaults;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load's wait for a destination that is unreachable, restarting, busy or locked
 * ({@link TransientFaults}): the same work is tried again after pauses that double from
 * {@link #FIRST_PAUSE} up to {@link #LONGEST_PAUSE}, for as long as it takes.
 *
 * <ul>
 *   <li>One WARN line per failed attempt, naming what waits, for how long, why and how many
 *       batches wait behind it; one INFO line when the destination answers again.
 *   <li>While it lasts it counts in the loader's {@code loadsWaitingForDestination} and
 *       {@code destinationUnavailableSeconds} gauges.
 *   <li>The job keeps reading meanwhile, until the loader's queue is full; then backpressure holds
 *       the readers. Nothing is lost: the batch stays in the loader's state until it is loaded.
 * </ul>
 *
 * Not thread-safe: used by the one load thread that retries.
 */
final class DestinationOutage {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationOutage.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(1);

    private final String what;
    private final LoadMetrics.Outages outages;
    private final long startedNanos;
    private Duration pause = FIRST_PAUSE;

    /** @param what what waits, as the log names it: a table, or the creation of the tables */
    DestinationOutage(String what, LoadMetrics.Outages outages) {
        this.what = what;
        this.outages = outages;
        this.startedNanos = System.nanoTime();
        outages.started(startedNanos);
    }

    /** Logs the failed attempt and returns the pause before the next one. */
    Duration failed(Throwable failure, int batchesWaiting) {
        Duration next = pause;
        LOG.warn(
                "{}: destination unavailable for {} s ({}); retrying in {} s, {} batch(es) waiting",
                what,
                seconds(),
                TransientFaults.reason(failure),
                next.toSeconds(),
                batchesWaiting);
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        return next;
    }

    /** The destination answered: logs the recovery. */
    void over() {
        LOG.info("{}: the destination is available again after {} s", what, seconds());
        outages.ended(startedNanos);
    }

    /** The wait ends without the destination answering (the loader closes). */
    void abandoned() {
        outages.ended(startedNanos);
    }

    private long seconds() {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    }
}
