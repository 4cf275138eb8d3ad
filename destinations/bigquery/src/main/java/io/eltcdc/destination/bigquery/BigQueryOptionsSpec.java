package io.eltcdc.destination.bigquery;

import io.eltcdc.destination.DeleteMode;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where and how a BigQuery destination loads: plain values, so that the job's destination factory
 * can carry them.
 *
 * @param project the Google Cloud project that runs the jobs and holds the datasets
 * @param location the location of the datasets and jobs ({@code US}, {@code EU}, {@code europe-west3}, …)
 * @param credentialsFile a service account's JSON key file, or null
 * @param credentialsJson a service account's JSON key itself, or null; with neither, Application
 *     Default Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, the metadata server, gcloud)
 * @param datasetOverride the dataset of every target table, or null for the source schema's name
 * @param stagingDataset the dataset of the staging tables (created with a one-day table expiration)
 * @param deleteMode what a DELETE does to the target row
 * @param host the API's root URL, or null for BigQuery's: tests point it at a local server (and
 *     then use no credentials)
 */
public record BigQueryOptionsSpec(
        String project,
        String location,
        String credentialsFile,
        String credentialsJson,
        String datasetOverride,
        String stagingDataset,
        DeleteMode deleteMode,
        String host)
        implements Serializable {
    public static final String DEFAULT_LOCATION = "US";
    public static final String DEFAULT_STAGING_DATASET = "elt_cdc_staging";

    public BigQueryOptionsSpec {
        Objects.requireNonNull(project, "project");
        location = location == null || location.isBlank() ? DEFAULT_LOCATION : location;
        stagingDataset = stagingDataset == null || stagingDataset.isBlank() ? DEFAULT_STAGING_DATASET : stagingDataset;
        deleteMode = deleteMode == null ? DeleteMode.HARD : deleteMode;
        datasetOverride = datasetOverride == null || datasetOverride.isBlank() ? null : datasetOverride;
    }

    /** The same options with another delete mode. */
    public BigQueryOptionsSpec withDeleteMode(DeleteMode mode) {
        return new BigQueryOptionsSpec(
                project, location, credentialsFile, credentialsJson, datasetOverride, stagingDataset, mode, host);
    }

    /** The same options with another dataset override. */
    public BigQueryOptionsSpec withDatasetOverride(String dataset) {
        return new BigQueryOptionsSpec(
                project, location, credentialsFile, credentialsJson, dataset, stagingDataset, deleteMode, host);
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "BigQueryOptionsSpec[project=" + project + ", location=" + location + ", credentials="
                + (credentialsJson != null
                        ? "inline JSON key"
                        : credentialsFile != null ? credentialsFile : host != null ? "none" : "application default")
                + ", dataset=" + datasetOverride + ", stagingDataset=" + stagingDataset + ", deleteMode=" + deleteMode
                + (host == null ? "" : ", host=" + host) + "]";
    }
}
