package io.eltcdc.destination;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import java.time.Duration;
import java.util.List;

/**
 * A destination type, found with {@link java.util.ServiceLoader}: a destination module registers its
 * provider in {@code META-INF/services/io.eltcdc.destination.DestinationProvider}, and the job hands
 * the pipeline file's {@code destination} section to the provider whose {@link #type()} it names.
 * The job knows no destination by name.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>{@link #parse} reads every key of the section except {@code type} and {@code load-interval}
 *       (the job's: they apply to every destination); the job has already rejected keys that are
 *       not in {@link #keys()}.
 *   <li>Errors are {@link ConfigException}s naming the key's path ({@code destination.host}) and
 *       what to write instead; secrets are never quoted.
 *   <li>The {@link DestinationConfig} it returns travels inside the job graph: plain values only.
 * </ul>
 */
public interface DestinationProvider {

    /** The value of {@code destination.type} that selects this destination, e.g. {@code duckdb}. */
    String type();

    /**
     * The section's keys besides {@code type}, {@code load-interval} and {@code load-parallelism}, in the order the
     * documentation lists them (messages name them in this order).
     */
    List<String> keys();

    /**
     * How often committed files are loaded when {@code destination.load-interval} is not set: zero
     * loads every checkpoint's files; cloud warehouses, billed per statement, load less often.
     */
    default Duration defaultLoadInterval() {
        return Duration.ZERO;
    }

    /**
     * Loads that run at once when {@code destination.load-parallelism} is not set, each table on a
     * connection of its own (one table's loads always run one at a time, in order).
     */
    default int defaultLoadParallelism() {
        return 4;
    }

    /** The most loads that may run at once: 1 where the destination has a single writer. */
    default int maxLoadParallelism() {
        return 64;
    }

    /**
     * Whether the destination can replace a table (drop it, then load a re-read copy), which
     * {@code resync} needs; its {@link Destination#supportsReplacingTables()} says the same.
     */
    default boolean canReplaceTables() {
        return false;
    }

    /** For messages: {@code a duckdb destination}, {@code an s3 destination}. */
    default String describe() {
        return "a " + type() + " destination";
    }

    /**
     * Reads the section.
     *
     * @param section the {@code destination} section; its unknown keys are already refused
     * @param staging where the pipeline stages its files, for destinations that read them from there
     * @throws ConfigException naming the key and what is wrong with it
     */
    DestinationConfig parse(ConfigNode section, StagingLocation staging) throws ConfigException;
}
