package io.eltcdc.destination.bigquery;

import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationCheckException;
import io.eltcdc.destination.DestinationConfig;
import java.time.Duration;

/**
 * A bigquery {@code destination} section as {@link BigQueryDestinationProvider} read it. It travels
 * inside the job graph; the JSON key is a {@link Secret}, so printing it never shows the key.
 *
 * @param credentialsFile a service account's JSON key file, or null
 * @param credentialsJson the JSON key itself, or null; with neither, Application Default Credentials
 * @param schema the dataset of every target table, or null for the source schema's name
 */
public record BigQueryConfig(
        String project,
        String location,
        String credentialsFile,
        Secret credentialsJson,
        String stagingDataset,
        String schema,
        DeleteMode deleteMode)
        implements DestinationConfig {

    /** BigQuery's daily load-job quota per project ({@link LoadJobQuota}). */
    @Override
    public void checkLoadRate(int tables, Duration loadInterval) throws DestinationCheckException {
        LoadJobQuota.check(tables, loadInterval);
    }

    @Override
    public Destination create() {
        return new BigQueryDestination(spec());
    }

    BigQueryOptionsSpec spec() {
        return new BigQueryOptionsSpec(
                project,
                location,
                credentialsFile,
                credentialsJson == null ? null : credentialsJson.value(),
                schema,
                stagingDataset,
                deleteMode,
                null);
    }
}
