package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationFactory;
import java.time.Duration;

/**
 * The type-specific part of a cloud warehouse's {@code destination} section (Snowflake, BigQuery,
 * Redshift). Each type parses its own keys; the keys every destination shares ({@code type},
 * {@code schema}, {@code delete-mode}, {@code load-interval}) are read by {@link DestinationParser}.
 */
public interface WarehouseSettings {

    /** How often committed files are loaded when {@code destination.load-interval} is not set. */
    Duration defaultLoadInterval();

    /**
     * Checks what this destination needs of the {@code staging} section (for example that files are
     * staged on S3, where the warehouse reads them from).
     *
     * @throws ConfigException naming the key to change and how
     */
    void checkStaging(StagingSettings staging) throws ConfigException;

    /**
     * The factory the load committer creates the destination with. It travels inside the job graph:
     * capture plain strings and enums only.
     *
     * @param schema {@code destination.schema}, or null for the source's schema names
     */
    DestinationFactory factory(String schema, DeleteMode deleteMode, StagingSettings staging);
}
