package io.eltcdc.destination;

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
}
