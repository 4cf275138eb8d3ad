package io.eltcdc.job.config;

import io.eltcdc.destination.DestinationConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code destination} section: its type, what that type's provider read of it, and how often
 * committed files are loaded.
 *
 * @param type the {@code type} key: a {@link io.eltcdc.destination.DestinationProvider}'s type
 * @param config the provider's reading of the section's other keys
 * @param loadInterval {@code load-interval}, or the type's default when absent; zero loads every
 *     checkpoint's files
 * @param loadParallelism {@code load-parallelism}, or the type's default: loads that run at once
 */
public record DestinationSettings(String type, DestinationConfig config, Duration loadInterval, int loadParallelism) {
    public DestinationSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(loadInterval, "loadInterval");
    }
}
