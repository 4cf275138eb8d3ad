package io.eltcdc.destination.redshift;

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

/** {@code destination: { type: redshift, … }}, read by the provider the job finds. */
class RedshiftConfigTest {
    private static final Map<String, String> ENV =
            Map.of("RS_PASSWORD", "pw-from-env", "AWS_SECRET", "aws-secret-value", "AWS_TOKEN", "aws-token-value");
    private static final Function<String, String> ENV_LOOKUP = ENV::get;
    private static final StagingLocation S3_STAGING = new StagingLocation("s3://elt-staging/shop", null);
    private static final String MINIMAL = "type: redshift, host: cluster.abc.eu-west-1.redshift.amazonaws.com,"
            + " database: dev, username: elt, password: \"${env:RS_PASSWORD}\","
            + " iam-role: \"arn:aws:iam::123456789012:role/elt-copy\"";

    @Test
    void registeredForItsTypeWithItsKeys() {
        DestinationProvider provider = provider();
        assertThat(provider).isInstanceOf(RedshiftDestinationProvider.class);
        assertThat(provider.describe()).isEqualTo("a redshift destination");
        assertThat(provider.keys())
                .containsExactly(
                        "host",
                        "port",
                        "database",
                        "username",
                        "password",
                        "iam-role",
                        "aws-access-key-id",
                        "aws-secret-access-key",
                        "aws-session-token",
                        "s3-region",
                        "long-strings",
                        "schema",
                        "delete-mode",
                        "tls");
    }

    @Test
    void parsesWithDefaults() throws Exception {
        RedshiftConfig r = parse("{ " + MINIMAL + " }");
        assertThat(r.host()).isEqualTo("cluster.abc.eu-west-1.redshift.amazonaws.com");
        assertThat(r.port()).isEqualTo(5439);
        assertThat(r.database()).isEqualTo("dev");
        assertThat(r.username()).isEqualTo("elt");
        assertThat(r.password().value()).isEqualTo("pw-from-env");
        assertThat(r.iamRole()).isEqualTo("arn:aws:iam::123456789012:role/elt-copy");
        assertThat(r.accessKeyId()).isNull();
        assertThat(r.longStrings()).isEqualTo(LongStrings.FAIL);
        assertThat(r.schema()).isNull();
        assertThat(r.deleteMode()).isEqualTo(DeleteMode.HARD);
        assertThat(r.stagingPath()).isEqualTo("s3://elt-staging/shop");
        assertThat(r.jdbcUrl()).isEqualTo("jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev");
        assertThat(provider().defaultLoadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(provider().canReplaceTables()).isFalse();
        assertThat(r.options())
                .isEqualTo(new RedshiftOptions(
                        "jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev",
                        "elt",
                        "pw-from-env",
                        new CopyCredentials.IamRole("arn:aws:iam::123456789012:role/elt-copy"),
                        null,
                        "s3://elt-staging/shop",
                        LongStrings.FAIL,
                        null,
                        DeleteMode.HARD));
        try (Destination destination = r.create()) { // connects on first use only
            assertThat(destination.toString())
                    .isEqualTo(
                            "RedshiftDestination[Redshift jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com"
                                    + ":5439/dev as elt]");
        }
    }

    @Test
    void parsesEveryKey() throws Exception {
        RedshiftConfig r = parse("""
                type: redshift
                host: cluster.example.com
                port: 5440
                database: analytics
                username: loader
                password: "${env:RS_PASSWORD}"
                aws-access-key-id: AKIAEXAMPLE
                aws-secret-access-key: "${env:AWS_SECRET}"
                aws-session-token: "${env:AWS_TOKEN}"
                s3-region: us-east-1
                long-strings: TRUNCATE
                schema: raw
                delete-mode: soft
                load-interval: 2min
                """);
        assertThat(r.port()).isEqualTo(5440);
        assertThat(r.accessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(r.secretAccessKey().value()).isEqualTo("aws-secret-value");
        assertThat(r.sessionToken().value()).isEqualTo("aws-token-value");
        assertThat(r.s3Region()).isEqualTo("us-east-1");
        assertThat(r.longStrings()).isEqualTo(LongStrings.TRUNCATE);
        assertThat(r.schema()).isEqualTo("raw");
        assertThat(r.deleteMode()).isEqualTo(DeleteMode.SOFT);
        // load-interval is the job's key: the default stays the type's
        assertThat(provider().defaultLoadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.options().credentials())
                .isEqualTo(new CopyCredentials.AccessKeys("AKIAEXAMPLE", "aws-secret-value", "aws-token-value"));
        assertThat(r.options().s3Region()).isEqualTo("us-east-1");
        assertThat(r.options().schemaOverride()).isEqualTo("raw");
    }

    @Test
    void secretsAreNotInToString() throws Exception {
        RedshiftConfig config = parse("{ type: redshift, host: h.example.com, database: dev,"
                + " username: elt, password: \"${env:RS_PASSWORD}\", aws-access-key-id: AKIAEXAMPLE,"
                + " aws-secret-access-key: \"${env:AWS_SECRET}\", aws-session-token: \"${env:AWS_TOKEN}\" }");
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(config); // travels in the job graph
        String text;
        try (Destination destination = config.create()) {
            text = config.toString() + config.options() + destination;
        }
        assertThat(text)
                .doesNotContain("pw-from-env")
                .doesNotContain("aws-secret-value")
                .doesNotContain("aws-token-value")
                .contains("AKIAEXAMPLE");
    }

    @Test
    void missingKeysAreNamed() {
        ConfigException host = error("{ type: redshift, database: dev, username: elt," + " iam-role: default }");
        assertThat(host.path()).isEqualTo("destination.host");
        assertThat(host).hasMessageContaining("required key is missing");

        ConfigException database = error("{ type: redshift, host: h, username: elt, iam-role: default }");
        assertThat(database.path()).isEqualTo("destination.database");

        ConfigException credentials = error("{ type: redshift, host: h, database: dev, username: elt }");
        assertThat(credentials.path()).isEqualTo("destination.iam-role");
        assertThat(credentials).hasMessageContaining("aws-access-key-id and aws-secret-access-key");

        ConfigException halfPair =
                error("{ type: redshift, host: h, database: dev, username: elt," + " aws-access-key-id: AKIA }");
        assertThat(halfPair.path()).isEqualTo("destination.aws-secret-access-key");

        ConfigException both = error("{ type: redshift, host: h, database: dev, username: elt,"
                + " iam-role: default, aws-access-key-id: AKIA, aws-secret-access-key: s }");
        assertThat(both).hasMessageContaining("not both");

        ConfigException notArn =
                error("{ type: redshift, host: h, database: dev, username: elt," + " iam-role: elt-copy }");
        assertThat(notArn.path()).isEqualTo("destination.iam-role");
        assertThat(notArn).hasMessageContaining("expected an IAM role ARN");
    }

    @Test
    void wrongValuesAreRefused() {
        ConfigException longStrings = error("{ " + MINIMAL + ", long-strings: cut }");
        assertThat(longStrings.path()).isEqualTo("destination.long-strings");
        assertThat(longStrings).hasMessageContaining("expected one of fail, truncate");

        ConfigException host = error("{ type: redshift, host: \"h.example.com:5439\", database: dev,"
                + " username: elt, iam-role: default }");
        assertThat(host.path()).isEqualTo("destination.host");
        assertThat(host).hasMessageContaining("put the port in destination.port");
    }

    @Test
    void localStagingIsRefused() {
        ConfigException e = error(new StagingLocation("file:///tmp/staging", null), "{ " + MINIMAL + " }");
        assertThat(e.path()).isEqualTo("staging.path");
        assertThat(e).hasMessageContaining("needs staging on S3").hasMessageContaining("COPY reads");

        ConfigException endpoint =
                error(new StagingLocation("s3://elt-staging/shop", "http://127.0.0.1:9000"), "{ " + MINIMAL + " }");
        assertThat(endpoint.path()).isEqualTo("staging.s3.endpoint");
        assertThat(endpoint).hasMessageContaining("Amazon S3");
    }

    /** The provider the job finds through ServiceLoader: registered once, for its type. */
    private static DestinationProvider provider() {
        return RegisteredProviders.of("redshift");
    }

    private static RedshiftConfig parse(String section) throws ConfigException {
        return parse(S3_STAGING, section);
    }

    private static RedshiftConfig parse(StagingLocation staging, String section) throws ConfigException {
        return (RedshiftConfig) RegisteredProviders.parse("redshift", section, ENV_LOOKUP, staging);
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
