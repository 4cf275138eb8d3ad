package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.bigquery.BigQueryDestination;
import io.eltcdc.destination.bigquery.BigQueryOptionsSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code destination} section of a bigquery destination:
 * <pre>
 * destination:
 *   type: bigquery
 *   project: my-gcp-project
 *   location: EU                                   # the default: US
 *   credentials-file: /etc/elt-cdc/bigquery-sa.json   # or credentials-json: "${env:BQ_KEY}"; neither: ADC
 *   staging-dataset: elt_cdc_staging               # the default
 *   schema: analytics                              # optional: one dataset for every table
 * </pre>
 * Without credentials the client uses Application Default Credentials (the environment's
 * {@code GOOGLE_APPLICATION_CREDENTIALS}, the metadata server of GKE/GCE, or gcloud's login).
 * Any staging storage works: files are uploaded to BigQuery, or read by BigQuery itself from
 * {@code gs://} paths.
 */
public record BigQuerySettings(
        String project, String location, String credentialsFile, Secret credentialsJson, String stagingDataset)
        implements WarehouseSettings {
    static final List<String> OWN_KEYS =
            List.of("project", "location", "credentials-file", "credentials-json", "staging-dataset");
    /** Dataset ids: letters, digits and underscores. */
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
    /** Project ids (and the older domain-scoped ones, {@code example.com:project}). */
    private static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");

    private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    /** Reads the bigquery-specific keys; the shared ones are {@link DestinationParser#SHARED_KEYS}. */
    static BigQuerySettings parse(ConfigNode node) throws ConfigException {
        List<String> known = new ArrayList<>(DestinationParser.SHARED_KEYS);
        known.addAll(OWN_KEYS);
        node.checkNoUnknownKeys(known);
        if (!node.keys().contains("project")) {
            throw node.error(
                    "project",
                    "required key is missing (a bigquery destination needs the Google Cloud"
                            + " project id that runs the load jobs and holds the datasets, e.g. project: my-project-123)");
        }
        String project = node.requiredString("project").trim();
        if (!PROJECT.matcher(project).matches()) {
            throw node.error(
                    "project",
                    "expected a Google Cloud project id (6 to 30 lower-case letters, digits and"
                            + " hyphens, starting with a letter; the id, not the project's display name), got "
                            + Found.quote(project));
        }
        String location = node.optionalString("location");
        if (location != null && !LOCATION.matcher(location.trim()).matches()) {
            throw node.error(
                    "location",
                    "expected a BigQuery location such as US, EU or europe-west3, got " + Found.quote(location));
        }
        String credentialsFile = node.optionalString("credentials-file");
        Secret credentialsJson = node.optionalSecret("credentials-json");
        if (credentialsFile != null && credentialsJson != null) {
            throw node.error("credentials-json", "set either credentials-file or credentials-json, not both");
        }
        String stagingDataset = node.optionalString("staging-dataset");
        if (stagingDataset != null && !DATASET.matcher(stagingDataset).matches()) {
            throw node.error(
                    "staging-dataset",
                    "expected a BigQuery dataset id (letters, digits and underscores), got "
                            + Found.quote(stagingDataset));
        }
        String schema = node.optionalString("schema");
        if (schema != null && !DATASET.matcher(schema).matches()) {
            throw node.error(
                    "schema",
                    "expected a BigQuery dataset id (letters, digits and underscores) for the"
                            + " dataset of every target table, got " + Found.quote(schema));
        }
        return new BigQuerySettings(
                project,
                location == null ? BigQueryOptionsSpec.DEFAULT_LOCATION : location.trim(),
                credentialsFile,
                credentialsJson,
                stagingDataset == null ? BigQueryOptionsSpec.DEFAULT_STAGING_DATASET : stagingDataset);
    }

    /** BigQuery's quota of table operations and its job overhead: load every 5 minutes unless configured. */
    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofMinutes(5);
    }

    /** Files on any staging storage load: uploaded by the loader, or (gs://) read by BigQuery itself. */
    @Override
    public void checkStaging(StagingSettings staging) {}

    @Override
    public DestinationFactory factory(String schema, DeleteMode deleteMode, StagingSettings staging) {
        // Plain strings and enums only: the factory travels inside the job graph.
        String projectId = project;
        String where = location;
        String keyFile = credentialsFile;
        String key = credentialsJson == null ? null : credentialsJson.value();
        String stagingIn = stagingDataset;
        return () -> new BigQueryDestination(
                new BigQueryOptionsSpec(projectId, where, keyFile, key, schema, stagingIn, deleteMode, null));
    }
}
