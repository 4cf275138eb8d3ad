package io.eltcdc.destination;

import java.time.Duration;

/**
 * A destination section as its {@link DestinationProvider} read it: creates the destination where
 * the loads run (it travels inside the job graph, so it holds plain values only) and says what the
 * job needs to know of the destination before it starts.
 */
public interface DestinationConfig extends DestinationFactory {

    /**
     * How often committed files are loaded when {@code destination.load-interval} is not set: zero
     * loads every checkpoint's files; cloud warehouses, billed per statement, load less often.
     */
    default Duration defaultLoadInterval() {
        return Duration.ZERO;
    }

    /**
     * Whether the destination can replace a table (drop it, then load a re-read copy), which
     * {@code resync} needs; known without creating the destination.
     */
    default boolean canReplaceTables() {
        return false;
    }

    /**
     * Checks, before the job starts, what a user most often gets wrong (the server cannot be
     * reached, a folder cannot be created), so that it fails with one clear line instead of a job
     * that fails and restarts. Does nothing by default.
     *
     * @throws DestinationCheckException with a message meant for the user as it is
     */
    default void check() throws DestinationCheckException {}
}
