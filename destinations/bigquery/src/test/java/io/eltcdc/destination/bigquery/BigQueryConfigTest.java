package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationCheckException;
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
    void refusesALoadIntervalAtWhichTheTablesNeedMoreLoadJobsADayThanAProjectMayRun() throws Exception {
        BigQueryConfig config = parse("{ type: bigquery, project: my-project-123 }");
        Duration fiveMinutes = provider().defaultLoadInterval();

        // 347 tables × 288 loads a day = 99,936 load jobs: within the 100,000 a project may run.
        config.checkLoadRate(347, fiveMinutes);
        // 348 × 288 = 100,224: refused, naming the load interval that fits (86,400 s / ⌊100,000 / 348⌋ = 302 s).
        DestinationCheckException refused =
                catchThrowableOfType(() -> config.checkLoadRate(348, fiveMinutes), DestinationCheckException.class);
        assertThat(refused)
                .hasMessage("destination.load-interval: loading 348 tables as often as every 5min takes up to 100,224"
                        + " BigQuery load jobs a day (one per table and load), and a project may run 100,000 a day,"
                        + " failed ones included; set destination.load-interval to at least 6min (or split the tables"
                        + " between pipelines that load into different projects)");
        config.checkLoadRate(348, Duration.ofMinutes(6));
        // Loading at every 10 s checkpoint (load-interval: every-checkpoint): 8,640 loads per table a day.
        config.checkLoadRate(11, Duration.ofSeconds(10));
        assertThat(catchThrowableOfType(
                        () -> config.checkLoadRate(12, Duration.ofSeconds(10)), DestinationCheckException.class))
                .hasMessageContaining("12 tables as often as every 10s takes up to 103,680 BigQuery load jobs a day")
                .hasMessageContaining("set destination.load-interval to at least 1min");
        assertThat(catchThrowableOfType(
                        () -> config.checkLoadRate(100_001, Duration.ofDays(1)), DestinationCheckException.class))
                .hasMessageContaining("no load interval fits so many tables");
    }

    @Test
    void theSuggestedLoadIntervalFitsTheQuotaForAnyNumberOfTables() {
        for (int tables : new int[] {1, 347, 348, 1000, 2000, 5000, 33_333, 50_000, 100_000}) {
            Duration shortest = LoadJobQuota.shortestInterval(tables);
            assertThat(LoadJobQuota.loadJobsPerDay(tables, shortest))
                    .as("%d tables every %s", tables, shortest)
                    .isLessThanOrEqualTo(LoadJobQuota.LOAD_JOBS_PER_PROJECT_PER_DAY);
            if (shortest.toMinutes() > 1) { // a minute less does not fit: the shortest in whole minutes
                assertThat(LoadJobQuota.loadJobsPerDay(tables, shortest.minusMinutes(1)))
                        .as("%d tables every %s less a minute", tables, shortest)
                        .isGreaterThan(LoadJobQuota.LOAD_JOBS_PER_PROJECT_PER_DAY);
            }
        }
        assertThat(LoadJobQuota.format(Duration.ofMinutes(90))).isEqualTo("90min");
        assertThat(LoadJobQuota.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(LoadJobQuota.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
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
