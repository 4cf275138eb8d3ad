package io.eltcdc.job.config;

import io.eltcdc.load.DeleteMode;
import io.eltcdc.load.DestinationFactory;
import java.time.Duration;

/** The {@code destination} section of a redshift destination. Not built yet. */
public record RedshiftSettings() implements WarehouseSettings {

    /** Reads the redshift-specific keys; the shared ones are {@link DestinationParser#SHARED_KEYS}. */
    static RedshiftSettings parse(ConfigNode node) throws ConfigException {
        throw node.error("type", "the redshift destination is not available in this version");
    }

    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofSeconds(60);
    }

    @Override
    public void checkStaging(StagingSettings staging) {}

    @Override
    public DestinationFactory factory(String schema, DeleteMode deleteMode, StagingSettings staging) {
        throw new UnsupportedOperationException("the redshift destination is not available in this version");
    }
}
