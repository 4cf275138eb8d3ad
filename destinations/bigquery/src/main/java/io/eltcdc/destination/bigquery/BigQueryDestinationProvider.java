package io.eltcdc.destination.bigquery;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.DestinationSection;
import io.eltcdc.destination.StagingLocation;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code destination.type: bigquery}. Ids are checked here, where the key can be named, rather than
 * by a failing load job. Without credentials the client uses Application Default Credentials; any
 * staging works (the loader uploads the files; BigQuery reads {@code gs://} files itself where they
 * need no re-encoding, see {@link StagedLayout}).
 */
public final class BigQueryDestinationProvider implements DestinationProvider {
    /** In the README's order. */
    static final List<String> KEYS = List.of(
            "project", "location", "credentials-file", "credentials-json", "staging-dataset", "schema", "delete-mode");
    /** Dataset ids: letters, digits and underscores. */
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
    /** Project ids (and the older domain-scoped ones, {@code example.com:project}). */
    private static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");

    private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    @Override
    public String type() {
        return "bigquery";
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    /** BigQuery's quota of table operations and its job overhead: load every 5 minutes unless configured. */
    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofMinutes(5);
    }

    @Override
    public BigQueryConfig parse(ConfigNode node, StagingLocation staging) throws ConfigException {
        String project = DestinationSection.required(
                        node,
                        "project",
                        this,
                        "the Google Cloud project id that runs the load jobs and holds the datasets,"
                                + " e.g. project: my-project-123")
                .trim();
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
        String schema = DestinationSection.schema(node);
        if (schema != null && !DATASET.matcher(schema).matches()) {
            throw node.error(
                    "schema",
                    "expected a BigQuery dataset id (letters, digits and underscores) for the"
                            + " dataset of every target table, got " + Found.quote(schema));
        }
        DeleteMode deleteMode = DestinationSection.deleteMode(node);
        return new BigQueryConfig(
                project,
                location == null ? BigQueryOptionsSpec.DEFAULT_LOCATION : location.trim(),
                credentialsFile,
                credentialsJson,
                stagingDataset == null ? BigQueryOptionsSpec.DEFAULT_STAGING_DATASET : stagingDataset,
                schema,
                deleteMode);
    }
}
