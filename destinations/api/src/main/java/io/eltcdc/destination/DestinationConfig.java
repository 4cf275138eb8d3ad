package io.eltcdc.destination;

import java.time.Duration;

/**
 * A destination section as its {@link DestinationProvider} read it: creates the destination where
 * the loads run (it travels inside the job graph, so it holds plain values only), and checks before
 * the start that the destination can be reached.
 */
public interface DestinationConfig extends DestinationFactory {

    /**
     * Checks, before the job starts, what a user most often gets wrong (the server cannot be
     * reached, a folder cannot be created), so that it fails with one clear line instead of a job
     * that fails and restarts. Does nothing by default.
     *
     * @throws DestinationCheckException with a message meant for the user as it is
     */
    default void check() throws DestinationCheckException {}

    /**
     * Checks, before the job starts, that loading the pipeline's tables this often stays within the
     * destination's limits (BigQuery: load jobs per project and day), so that a pipeline that would
     * run out of quota mid-day is refused with the setting to change. Does nothing by default.
     *
     * @param tables the tables the pipeline selects at the start
     * @param loadInterval the least time between two loads of one table: {@code destination.load-interval},
     *     or the checkpoint interval where that is longer (loads start at completed checkpoints)
     * @throws DestinationCheckException with a message meant for the user as it is, naming the value of
     *     {@code destination.load-interval} that would fit
     */
    default void checkLoadRate(int tables, Duration loadInterval) throws DestinationCheckException {}
}
