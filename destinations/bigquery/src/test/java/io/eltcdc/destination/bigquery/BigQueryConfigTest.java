package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.StagingLocation;
import io.eltcdc.destination.testkit.RegisteredProviders;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination: { type: bigquery, … }}, read by the provider the job finds. */
class BigQueryConfigTest {
    private static final String KEY_JSON =
            "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----xyz\"}";
    private static final Function<String, String> ENV = Map.of("BQ_KEY", KEY_JSON)::get;
    private static final StagingLocation S3_STAGING = new StagingLocation("s3://elt-staging/shop", null);

    @Test
    void registeredForItsTypeWithItsKeys() {
        DestinationProvider provider = provider();
        assertThat(provider).isInstanceOf(BigQueryDestinationProvider.class);
        assertThat(provider.describe()).isEqualTo("a bigquery destination");
        assertThat(provider.keys())
                .containsExactly(
                        "project",
                        "location",
                        "credentials-file",
                        "credentials-json",
                        "staging-dataset",
                        "schema",
                        "delete-mode");
    }

    @Test
    void parsesWithDefaults() throws Exception {
        BigQueryConfig b = parse("{ type: bigquery, project: my-project-123 }");
        assertThat(b.project()).isEqualTo("my-project-123");
        assertThat(b.location()).isEqualTo("US");
        assertThat(b.credentialsFile()).isNull();
        assertThat(b.credentialsJson()).isNull();
        assertThat(b.stagingDataset()).isEqualTo("elt_cdc_staging");
        assertThat(b.schema()).isNull();
        assertThat(b.deleteMode()).isEqualTo(DeleteMode.HARD);
        assertThat(provider().defaultLoadInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(provider().canReplaceTables()).isFalse();
        assertThat(b.spec())
                .isEqualTo(new BigQueryOptionsSpec(
                        "my-project-123", "US", null, null, null, "elt_cdc_staging", DeleteMode.HARD, null));
        try (Destination destination = b.create()) { // the client is made on first use only
            assertThat(destination.toString()).isEqualTo("BigQueryDestination[BigQuery project my-project-123 (US)]");
        }
    }

    @Test
    void parsesEveryKey() throws Exception {
        BigQueryConfig b = parse("""
                type: bigquery
                project: my-project-123
                location: europe-west3
                credentials-json: "${env:BQ_KEY}"
                staging-dataset: etl_stage
                schema: analytics
                delete-mode: soft
                load-interval: 10min
                """);
        assertThat(b.location()).isEqualTo("europe-west3");
        assertThat(b.credentialsJson().value()).isEqualTo(KEY_JSON);
        assertThat(b.stagingDataset()).isEqualTo("etl_stage");
        assertThat(b.schema()).isEqualTo("analytics");
        assertThat(b.deleteMode()).isEqualTo(DeleteMode.SOFT);
        // load-interval is the job's key: the default stays the type's
        assertThat(provider().defaultLoadInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.spec())
                .isEqualTo(new BigQueryOptionsSpec(
                        "my-project-123",
                        "europe-west3",
                        null,
                        KEY_JSON,
                        "analytics",
                        "etl_stage",
                        DeleteMode.SOFT,
                        null));

        BigQueryConfig withFile =
                parse("{ type: bigquery, project: my-project-123," + " credentials-file: /etc/elt/sa.json }");
        assertThat(withFile.credentialsFile()).isEqualTo("/etc/elt/sa.json");
    }

    @Test
    void anyStagingLoads() throws Exception {
        BigQueryConfig b =
                parse(new StagingLocation("file:///tmp/staging", null), "{ type: bigquery, project: my-project-123 }");
        assertThat(b.project()).isEqualTo("my-project-123");
    }

    @Test
    void theKeyIsNeverPrinted() throws Exception {
        BigQueryConfig config =
                parse("{ type: bigquery, project: my-project-123," + " credentials-json: \"${env:BQ_KEY}\" }");
        assertThat(config.toString())
                .doesNotContain("PRIVATE")
                .doesNotContain("xyz")
                .contains("****");
        assertThat(config.spec().toString()).doesNotContain("PRIVATE").contains("inline JSON key");
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(config); // travels in the job graph
        try (Destination destination = config.create()) {
            assertThat(destination.toString()).doesNotContain("PRIVATE");
        }
    }

    @Test
    void missingProjectIsNamed() {
        ConfigException e = fails("{ type: bigquery, location: EU }");
        assertThat(e.path()).isEqualTo("destination.project");
        assertThat(e)
                .hasMessageContaining("destination.project")
                .hasMessageContaining("required key is missing")
                .hasMessageContaining("project id");
    }

    @Test
    void invalidValuesAreExplained() {
        assertThat(fails("{ type: bigquery, project: \"My Project\" }"))
                .hasMessageContaining("destination.project")
                .hasMessageContaining("project id");
        assertThat(fails("{ type: bigquery, project: my-project-123, schema: \"odd schema\" }"))
                .hasMessageContaining("destination.schema")
                .hasMessageContaining("dataset id");
        assertThat(fails("{ type: bigquery, project: my-project-123, staging-dataset: a-b }"))
                .hasMessageContaining("destination.staging-dataset");
        assertThat(fails("{ type: bigquery, project: my-project-123, credentials-file: /a.json,"
                        + " credentials-json: \"${env:BQ_KEY}\" }"))
                .hasMessageContaining("not both");
    }

    /** The provider the job finds through ServiceLoader: registered once, for its type. */
    private static DestinationProvider provider() {
        return RegisteredProviders.of("bigquery");
    }

    private static ConfigException fails(String section) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(section));
        assertThat(e).as("expected a ConfigException for %s", section).isNotNull();
        return e;
    }

    private static BigQueryConfig parse(String section) throws ConfigException {
        return parse(S3_STAGING, section);
    }

    private static BigQueryConfig parse(StagingLocation staging, String section) throws ConfigException {
        return (BigQueryConfig) RegisteredProviders.parse("bigquery", section, ENV, staging);
    }
}
