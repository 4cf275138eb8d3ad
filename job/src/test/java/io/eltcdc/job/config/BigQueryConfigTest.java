package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.DeleteMode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination: { type: bigquery, … }}. */
class BigQueryConfigTest {
    private static final String KEY_JSON =
            "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----xyz\"}";
    private static final Function<String, String> ENV = Map.of("BQ_KEY", KEY_JSON)::get;
    private static final String BASE = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "s3://elt-staging/shop" }
            """;

    @Test
    void parsesWithDefaults() throws Exception {
        PipelineConfig config = parse("destination: { type: bigquery, project: my-project-123 }");
        DestinationSettings d = config.destination();
        assertThat(d.type()).isEqualTo("bigquery");
        BigQuerySettings b = (BigQuerySettings) d.warehouse();
        assertThat(b.project()).isEqualTo("my-project-123");
        assertThat(b.location()).isEqualTo("US");
        assertThat(b.credentialsFile()).isNull();
        assertThat(b.credentialsJson()).isNull();
        assertThat(b.stagingDataset()).isEqualTo("elt_cdc_staging");
        assertThat(b.defaultLoadInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.factory(null, DeleteMode.HARD, config.staging())).isNotNull();
    }

    @Test
    void parsesEveryKey() throws Exception {
        PipelineConfig config = parse("""
                destination:
                  type: bigquery
                  project: my-project-123
                  location: europe-west3
                  credentials-json: "${env:BQ_KEY}"
                  staging-dataset: etl_stage
                  schema: analytics
                  delete-mode: soft
                  load-interval: 10min
                """);
        BigQuerySettings b = (BigQuerySettings) config.destination().warehouse();
        assertThat(b.location()).isEqualTo("europe-west3");
        assertThat(b.credentialsJson().value()).isEqualTo(KEY_JSON);
        assertThat(b.stagingDataset()).isEqualTo("etl_stage");
        assertThat(config.destination().schema()).isEqualTo("analytics");

        PipelineConfig withFile = parse(
                "destination: { type: bigquery, project: my-project-123," + " credentials-file: /etc/elt/sa.json }");
        assertThat(((BigQuerySettings) withFile.destination().warehouse()).credentialsFile())
                .isEqualTo("/etc/elt/sa.json");
    }

    @Test
    void theKeyIsNeverPrinted() throws Exception {
        PipelineConfig config = parse(
                "destination: { type: bigquery, project: my-project-123," + " credentials-json: \"${env:BQ_KEY}\" }");
        assertThat(config.destination().warehouse().toString())
                .doesNotContain("PRIVATE")
                .doesNotContain("xyz")
                .contains("****");
        assertThat(config.destination().toString()).doesNotContain("PRIVATE");
        assertThat(config.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void missingProjectIsNamed() {
        ConfigException e = fails("destination: { type: bigquery, location: EU }");
        assertThat(e)
                .hasMessageContaining("destination.project")
                .hasMessageContaining("required key is missing")
                .hasMessageContaining("project id");
    }

    @Test
    void unknownKeyIsRefused() {
        ConfigException e = fails("destination: { type: bigquery, project: my-project-123, dataset: x }");
        assertThat(e).hasMessageContaining("dataset");
    }

    @Test
    void invalidValuesAreExplained() {
        assertThat(fails("destination: { type: bigquery, project: \"My Project\" }"))
                .hasMessageContaining("destination.project")
                .hasMessageContaining("project id");
        assertThat(fails("destination: { type: bigquery, project: my-project-123, schema: \"odd schema\" }"))
                .hasMessageContaining("destination.schema")
                .hasMessageContaining("dataset id");
        assertThat(fails("destination: { type: bigquery, project: my-project-123, staging-dataset: a-b }"))
                .hasMessageContaining("destination.staging-dataset");
        assertThat(fails("destination: { type: bigquery, project: my-project-123, credentials-file: /a.json,"
                        + " credentials-json: \"${env:BQ_KEY}\" }"))
                .hasMessageContaining("not both");
    }

    private static ConfigException fails(String destination) {
        return catchThrowableOfType(ConfigException.class, () -> parse(destination));
    }

    private static PipelineConfig parse(String destination) throws ConfigException {
        return PipelineConfig.parse(BASE + destination + "\n", ENV);
    }
}
