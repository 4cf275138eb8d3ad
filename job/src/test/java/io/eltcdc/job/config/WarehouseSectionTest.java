package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the job reads of a cloud warehouse's {@code destination} section, whatever the warehouse: its
 * keys (each warehouse's provider reads their values, tested in its module), {@code load-interval}
 * and the warehouse's default, and secrets kept out of every printed form.
 */
class WarehouseSectionTest {
    private static final Function<String, String> ENV =
            Map.of("PW", "pw-secret-1", "AWS_SECRET", "aws-secret-2", "BQ_KEY", "{\"private_key\":\"PRIVATE\"}")::get;
    private static final String S3_STAGING = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "s3://elt-staging/shop" }
            """;
    private static final String SNOWFLAKE = """
            destination:
              type: snowflake
              account: myorg-myaccount
              user: ELT_LOADER
              password: "${env:PW}"
              warehouse: LOAD_WH
              database: ANALYTICS
              storage-integration: ELT_S3
            """;
    private static final String REDSHIFT = """
            destination:
              type: redshift
              host: cluster.example.com
              database: dev
              username: loader
              password: "${env:PW}"
              aws-access-key-id: AKIAEXAMPLE
              aws-secret-access-key: "${env:AWS_SECRET}"
            """;
    private static final String BIGQUERY = """
            destination:
              type: bigquery
              project: my-project-123
              credentials-json: "${env:BQ_KEY}"
            """;

    @Test
    void warehousesLoadLessOftenByDefaultUnlessConfigured() throws Exception {
        assertThat(parse(SNOWFLAKE).loadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse(REDSHIFT).loadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse(BIGQUERY).loadInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse(SNOWFLAKE + "  load-interval: 5min\n").loadInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse(REDSHIFT + "  load-interval: 2min\n").loadInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse(BIGQUERY + "  load-interval: every-checkpoint\n").loadInterval())
                .isEqualTo(Duration.ZERO);
        assertThat(parse(SNOWFLAKE).type()).isEqualTo("snowflake");
    }

    @Test
    void aMisspelledKeyIsUnknownWithTheWarehousesKeysListed() {
        ConfigException e = error(SNOWFLAKE + "  warehose: X\n");
        assertThat(e.path()).isEqualTo("destination");
        assertThat(e)
                .hasMessageContaining("unknown key \"warehose\"")
                .hasMessageContaining("storage-integration")
                .hasMessageContaining("load-interval")
                .hasMessageEndingWith("did you mean \"warehouse\"?)");
        assertThat(error(BIGQUERY + "  dataset: x\n")).hasMessageContaining("unknown key \"dataset\"");
    }

    @Test
    void aKeyOfAnotherTypeDoesNotApply() {
        ConfigException host = error(SNOWFLAKE + "  host: x\n");
        assertThat(host.path()).isEqualTo("destination");
        assertThat(host).hasMessageStartingWith("destination: key \"host\" does not apply to a snowflake destination");
        ConfigException path = error(REDSHIFT + "  path: /tmp/x\n");
        assertThat(path).hasMessageContaining("key \"path\" does not apply to a redshift destination");
        assertThat(path).hasMessageContaining("long-strings");
    }

    @Test
    void noSecretIsPrinted() throws Exception {
        for (String section : new String[] {SNOWFLAKE, REDSHIFT, BIGQUERY}) {
            PipelineConfig config = PipelineConfig.parse(S3_STAGING + section, ENV);
            String printed = config + " " + config.destination() + " "
                    + config.destination().config();
            assertThat(printed)
                    .contains(config.destination().type())
                    .doesNotContain("pw-secret-1")
                    .doesNotContain("aws-secret-2")
                    .doesNotContain("PRIVATE");
        }
    }

    private static DestinationSettings parse(String section) throws ConfigException {
        return PipelineConfig.parse(S3_STAGING + section, ENV).destination();
    }

    private static ConfigException error(String section) {
        return catchThrowableOfType(ConfigException.class, () -> parse(section));
    }
}
