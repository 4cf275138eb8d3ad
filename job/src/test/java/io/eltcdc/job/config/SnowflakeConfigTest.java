package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationFactory;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination: { type: snowflake, … }}. */
class SnowflakeConfigTest {
    private static final Map<String, String> ENV = Map.of(
            "SNOWFLAKE_PASSWORD",
            "pw-secret-1",
            "SNOWFLAKE_PRIVATE_KEY",
            "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----",
            "AWS_SECRET",
            "aws-secret-2");
    private static final Function<String, String> ENV_LOOKUP = ENV::get;
    private static final String S3_STAGING = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "s3://elt-staging/shop" }
            """;
    private static final String PASSWORD_LOGIN = """
            destination:
              type: snowflake
              account: myorg-myaccount
              user: ELT_LOADER
              password: "${env:SNOWFLAKE_PASSWORD}"
              role: ELT_ROLE
              warehouse: LOAD_WH
              database: ANALYTICS
              storage-integration: ELT_S3
            """;

    @Test
    void passwordLoginWithAStorageIntegration() throws Exception {
        DestinationSettings d = parse(S3_STAGING, PASSWORD_LOGIN + "  schema: raw\n  delete-mode: soft\n");

        assertThat(d.type()).isEqualTo("snowflake");
        assertThat(d.schema()).isEqualTo("raw");
        assertThat(d.deleteMode()).isEqualTo("soft");
        assertThat(d.effectiveLoadInterval()).isEqualTo(Duration.ofSeconds(60));
        SnowflakeSettings s = (SnowflakeSettings) d.warehouse();
        assertThat(s)
                .isEqualTo(new SnowflakeSettings(
                        "myorg-myaccount",
                        "ELT_LOADER",
                        new Secret("pw-secret-1"),
                        null,
                        null,
                        null,
                        "ELT_ROLE",
                        "LOAD_WH",
                        "ANALYTICS",
                        "ELT_S3",
                        null,
                        null));
        assertThat(s.connectionSettings().toString())
                .contains("myorg-myaccount", "LOAD_WH", "ELT_ROLE", "password")
                .doesNotContain("pw-secret-1");
    }

    @Test
    void keyPairLoginWithAnAwsKeyForTheStage() throws Exception {
        DestinationSettings d = parse(S3_STAGING, """
                destination:
                  type: snowflake
                  account: xy12345.eu-central-1
                  user: ELT_LOADER
                  private-key: "${env:SNOWFLAKE_PRIVATE_KEY}"
                  private-key-passphrase: "${env:SNOWFLAKE_PASSWORD}"
                  warehouse: LOAD_WH
                  database: ANALYTICS
                  aws-access-key-id: AKIAEXAMPLE
                  aws-secret-access-key: "${env:AWS_SECRET}"
                  load-interval: 5min
                """);
        SnowflakeSettings s = (SnowflakeSettings) d.warehouse();
        assertThat(s.privateKey().value()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(s.awsAccessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(d.effectiveLoadInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse(
                                S3_STAGING,
                                PASSWORD_LOGIN.replace(
                                        "password: \"${env:SNOWFLAKE_PASSWORD}\"",
                                        "private-key-file: /etc/elt/snowflake.p8"))
                        .warehouse())
                .extracting("privateKeyFile")
                .isEqualTo("/etc/elt/snowflake.p8");
    }

    @Test
    void secretsAreNotInToString() throws Exception {
        DestinationSettings d = parse(S3_STAGING, """
                destination:
                  type: snowflake
                  account: a
                  user: u
                  private-key: "${env:SNOWFLAKE_PRIVATE_KEY}"
                  private-key-passphrase: "${env:SNOWFLAKE_PASSWORD}"
                  warehouse: WH
                  database: DB
                  aws-access-key-id: AKIAEXAMPLE
                  aws-secret-access-key: "${env:AWS_SECRET}"
                """);
        assertThat(d.toString())
                .doesNotContain("pw-secret-1", "MIIEv", "aws-secret-2")
                .contains("AKIAEXAMPLE");
        DestinationFactory factory = d.warehouse().factory(null, DeleteMode.HARD, staging(S3_STAGING));
        assertThat(factory.toString()).doesNotContain("pw-secret-1", "MIIEv", "aws-secret-2");
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(factory); // travels in the job graph
    }

    @Test
    void missingKeysAreNamed() {
        ConfigException account = error(S3_STAGING, PASSWORD_LOGIN.replace("  account: myorg-myaccount\n", ""));
        assertThat(account.path()).isEqualTo("destination.account");
        assertThat(account).hasMessageContaining("required key is missing (a snowflake destination needs the account");

        ConfigException warehouse = error(S3_STAGING, PASSWORD_LOGIN.replace("  warehouse: LOAD_WH\n", ""));
        assertThat(warehouse.path()).isEqualTo("destination.warehouse");

        ConfigException login =
                error(S3_STAGING, PASSWORD_LOGIN.replace("  password: \"${env:SNOWFLAKE_PASSWORD}\"\n", ""));
        assertThat(login.path()).isEqualTo("destination");
        assertThat(login).hasMessageContaining("no login given: set exactly one of password, private-key");

        ConfigException two = error(S3_STAGING, PASSWORD_LOGIN + "  private-key-file: /k.p8\n");
        assertThat(two).hasMessageContaining("more than one login given");

        ConfigException stage = error(S3_STAGING, PASSWORD_LOGIN.replace("  storage-integration: ELT_S3\n", ""));
        assertThat(stage.path()).isEqualTo("destination.storage-integration");
        assertThat(stage).hasMessageContaining("name a storage integration (recommended), or give aws-access-key-id");

        ConfigException half = error(
                S3_STAGING, PASSWORD_LOGIN.replace("  storage-integration: ELT_S3\n", "  aws-access-key-id: AKIA\n"));
        assertThat(half.path()).isEqualTo("destination.aws-secret-access-key");

        ConfigException both = error(S3_STAGING, PASSWORD_LOGIN + "  aws-access-key-id: AKIA\n");
        assertThat(both).hasMessageContaining("either storage-integration or aws-access-key-id");
    }

    @Test
    void unknownKeysAreRefusedWithTheKnownOnes() {
        ConfigException e = error(S3_STAGING, PASSWORD_LOGIN + "  warehose: X\n");
        assertThat(e.path()).isEqualTo("destination");
        assertThat(e)
                .hasMessageContaining("unknown key \"warehose\"")
                .hasMessageContaining("storage-integration")
                .hasMessageContaining("load-interval");
        assertThat(error(S3_STAGING, PASSWORD_LOGIN + "  host: x\n")).hasMessageContaining("unknown key \"host\"");
    }

    @Test
    void localStagingIsRefusedWithHowToFixIt() throws Exception {
        ConfigException e = error(S3_STAGING.replace("s3://elt-staging/shop", "file:///tmp/staging"), PASSWORD_LOGIN);
        assertThat(e.path()).isEqualTo("staging.path");
        assertThat(e)
                .hasMessageContaining("staging.path must be an s3://bucket/prefix folder")
                .hasMessageContaining("file:///tmp/staging");
        assertThat(parse(S3_STAGING.replace("s3://", "s3a://"), PASSWORD_LOGIN).type())
                .isEqualTo("snowflake");
    }

    private static StagingSettings staging(String base) throws ConfigException {
        return PipelineConfig.parse(base + PASSWORD_LOGIN, ENV_LOOKUP).staging();
    }

    private static DestinationSettings parse(String base, String destination) throws ConfigException {
        return PipelineConfig.parse(base + destination, ENV_LOOKUP).destination();
    }

    private static ConfigException error(String base, String destination) {
        ConfigException e =
                catchThrowableOfType(ConfigException.class, () -> PipelineConfig.parse(base + destination, ENV_LOOKUP));
        assertThat(e).as("expected a ConfigException for %s", destination).isNotNull();
        return e;
    }
}
