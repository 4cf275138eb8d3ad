package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationConfig;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.StagingLocation;
import io.eltcdc.destination.testkit.RegisteredProviders;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination: { type: snowflake, … }}, read by the provider the job finds. */
class SnowflakeConfigTest {
    private static final Map<String, String> ENV = Map.of(
            "SNOWFLAKE_PASSWORD",
            "pw-secret-1",
            "SNOWFLAKE_PRIVATE_KEY",
            "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----",
            "AWS_SECRET",
            "aws-secret-2");
    private static final Function<String, String> ENV_LOOKUP = ENV::get;
    private static final StagingLocation S3_STAGING = new StagingLocation("s3://elt-staging/shop", null);
    private static final String PASSWORD_LOGIN = """
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
    void registeredForItsTypeWithItsKeys() {
        DestinationProvider provider = provider();
        assertThat(provider).isInstanceOf(SnowflakeDestinationProvider.class);
        assertThat(provider.describe()).isEqualTo("a snowflake destination");
        assertThat(provider.keys())
                .containsExactly(
                        "account",
                        "user",
                        "password",
                        "private-key",
                        "private-key-file",
                        "private-key-passphrase",
                        "role",
                        "warehouse",
                        "database",
                        "storage-integration",
                        "aws-access-key-id",
                        "aws-secret-access-key",
                        "schema",
                        "identifier-case",
                        "delete-mode");
    }

    @Test
    void passwordLoginWithAStorageIntegration() throws Exception {
        SnowflakeConfig s = parse(PASSWORD_LOGIN + "schema: raw\ndelete-mode: soft\n");

        assertThat(s.schema()).isEqualTo("raw");
        assertThat(s.deleteMode()).isEqualTo(DeleteMode.SOFT);
        assertThat(provider().defaultLoadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(provider().canReplaceTables()).isFalse();
        assertThat(s)
                .isEqualTo(new SnowflakeConfig(
                        "myorg-myaccount",
                        "ELT_LOADER",
                        // The secret keeps the reference; it resolves where the destination connects.
                        Secret.of("destination.password", "${env:SNOWFLAKE_PASSWORD}", ENV_LOOKUP),
                        null,
                        null,
                        null,
                        "ELT_ROLE",
                        "LOAD_WH",
                        "ANALYTICS",
                        "ELT_S3",
                        null,
                        null,
                        "raw",
                        DeleteMode.SOFT,
                        SnowflakeNames.UPPER,
                        "s3://elt-staging/shop"));
        assertThat(s.password().value()).isEqualTo("pw-secret-1");
        assertThat(s.connectionSettings().toString())
                .contains("myorg-myaccount", "LOAD_WH", "ELT_ROLE", "password")
                .doesNotContain("pw-secret-1");
        assertThat(s.stage().toString())
                .isEqualTo("SnowflakeStage[s3://elt-staging/shop/, storage integration ELT_S3]");
    }

    @Test
    void keyPairLoginWithAnAwsKeyForTheStage() throws Exception {
        SnowflakeConfig s = parse("""
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
        assertThat(s.privateKey().value()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(s.privateKeyPassphrase().value()).isEqualTo("pw-secret-1");
        assertThat(s.awsAccessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(s.awsSecretAccessKey().value()).isEqualTo("aws-secret-2");
        assertThat(s.schema()).isNull();
        assertThat(s.deleteMode()).isEqualTo(DeleteMode.HARD);
        // load-interval is the job's key: the default stays the type's
        assertThat(provider().defaultLoadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.connectionSettings().toString()).contains("private key").doesNotContain("MIIEv", "pw-secret-1");
        assertThat(s.stage().toString()).isEqualTo("SnowflakeStage[s3://elt-staging/shop/, AWS key AKIAEXAMPLE]");
        assertThat(parse(PASSWORD_LOGIN.replace(
                                "password: \"${env:SNOWFLAKE_PASSWORD}\"", "private-key-file: /etc/elt/snowflake.p8"))
                        .privateKeyFile())
                .isEqualTo("/etc/elt/snowflake.p8");
    }

    @Test
    void secretsAreNotInToString() throws Exception {
        DestinationConfig config = parse("""
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
        assertThat(config.toString())
                .doesNotContain("pw-secret-1", "MIIEv", "aws-secret-2")
                .contains("AKIAEXAMPLE");
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(config); // travels in the job graph
        try (Destination destination = config.create()) { // connects on first use only
            assertThat(destination.toString()).isEqualTo("SnowflakeDestination[Snowflake account a, database DB as u]");
        }
    }

    @Test
    void missingKeysAreNamed() {
        ConfigException account = error(PASSWORD_LOGIN.replace("account: myorg-myaccount\n", ""));
        assertThat(account.path()).isEqualTo("destination.account");
        assertThat(account).hasMessageContaining("required key is missing (a snowflake destination needs the account");

        ConfigException warehouse = error(PASSWORD_LOGIN.replace("warehouse: LOAD_WH\n", ""));
        assertThat(warehouse.path()).isEqualTo("destination.warehouse");

        ConfigException login = error(PASSWORD_LOGIN.replace("password: \"${env:SNOWFLAKE_PASSWORD}\"\n", ""));
        assertThat(login.path()).isEqualTo("destination");
        assertThat(login).hasMessageContaining("no login given: set exactly one of password, private-key");

        ConfigException two = error(PASSWORD_LOGIN + "private-key-file: /k.p8\n");
        assertThat(two).hasMessageContaining("more than one login given");

        ConfigException stage = error(PASSWORD_LOGIN.replace("storage-integration: ELT_S3\n", ""));
        assertThat(stage.path()).isEqualTo("destination.storage-integration");
        assertThat(stage).hasMessageContaining("name a storage integration (recommended), or give aws-access-key-id");

        ConfigException half =
                error(PASSWORD_LOGIN.replace("storage-integration: ELT_S3\n", "aws-access-key-id: AKIA\n"));
        assertThat(half.path()).isEqualTo("destination.aws-secret-access-key");

        ConfigException both = error(PASSWORD_LOGIN + "aws-access-key-id: AKIA\n");
        assertThat(both).hasMessageContaining("either storage-integration or aws-access-key-id");
    }

    @Test
    void namesFollowSnowflakesUpperCaseUnlessTheSourcesCaseIsAskedFor() throws Exception {
        assertThat(parse(PASSWORD_LOGIN).identifierCase()).isEqualTo(SnowflakeNames.UPPER);
        assertThat(parse(PASSWORD_LOGIN + "identifier-case: upper\n").identifierCase())
                .isEqualTo(SnowflakeNames.UPPER);
        assertThat(parse(PASSWORD_LOGIN + "identifier-case: source\n").identifierCase())
                .isEqualTo(SnowflakeNames.SOURCE);
        assertThat(parse(PASSWORD_LOGIN + "identifier-case: Source\n").identifierCase())
                .isEqualTo(SnowflakeNames.SOURCE);

        ConfigException lower = error(PASSWORD_LOGIN + "identifier-case: lower\n");
        assertThat(lower.path()).isEqualTo("destination.identifier-case");
        assertThat(lower).hasMessageContaining("expected one of upper, source, got \"lower\"");
        ConfigException list = error(PASSWORD_LOGIN + "identifier-case: [upper]\n");
        assertThat(list.path()).isEqualTo("destination.identifier-case");
    }

    @Test
    void localStagingIsRefusedWithHowToFixIt() throws Exception {
        ConfigException e = error(new StagingLocation("file:///tmp/staging", null), PASSWORD_LOGIN);
        assertThat(e.path()).isEqualTo("staging.path");
        assertThat(e)
                .hasMessageContaining("staging.path must be an s3://bucket/prefix folder")
                .hasMessageContaining("file:///tmp/staging");
        assertThat(parse(new StagingLocation("s3a://elt-staging/shop", null), PASSWORD_LOGIN)
                        .stagingPath())
                .isEqualTo("s3a://elt-staging/shop");
    }

    /** The provider the job finds through ServiceLoader: registered once, for its type. */
    private static DestinationProvider provider() {
        return RegisteredProviders.of("snowflake");
    }

    private static SnowflakeConfig parse(String section) throws ConfigException {
        return parse(S3_STAGING, section);
    }

    private static SnowflakeConfig parse(StagingLocation staging, String section) throws ConfigException {
        return (SnowflakeConfig) RegisteredProviders.parse("snowflake", section, ENV_LOOKUP, staging);
    }

    private static ConfigException error(String section) {
        return error(S3_STAGING, section);
    }

    private static ConfigException error(StagingLocation staging, String section) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(staging, section));
        assertThat(e).as("expected a ConfigException for %s", section).isNotNull();
        return e;
    }
}
