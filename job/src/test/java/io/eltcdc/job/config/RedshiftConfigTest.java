package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.DeleteMode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination: { type: redshift, … }}. */
class RedshiftConfigTest {
    private static final Map<String, String> ENV =
            Map.of("RS_PASSWORD", "pw-from-env", "AWS_SECRET", "aws-secret-value", "AWS_TOKEN", "aws-token-value");
    private static final Function<String, String> ENV_LOOKUP = ENV::get;
    private static final String BASE = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "s3://elt-staging/shop" }
            """;
    private static final String MINIMAL = "type: redshift, host: cluster.abc.eu-west-1.redshift.amazonaws.com,"
            + " database: dev, username: elt, password: \"${env:RS_PASSWORD}\","
            + " iam-role: \"arn:aws:iam::123456789012:role/elt-copy\"";

    @Test
    void parsesWithDefaults() throws Exception {
        PipelineConfig config = parse(BASE, "destination: { " + MINIMAL + " }");
        DestinationSettings d = config.destination();
        assertThat(d.type()).isEqualTo("redshift");
        RedshiftSettings r = (RedshiftSettings) d.warehouse();
        assertThat(r.host()).isEqualTo("cluster.abc.eu-west-1.redshift.amazonaws.com");
        assertThat(r.port()).isEqualTo(5439);
        assertThat(r.database()).isEqualTo("dev");
        assertThat(r.username()).isEqualTo("elt");
        assertThat(r.password().value()).isEqualTo("pw-from-env");
        assertThat(r.iamRole()).isEqualTo("arn:aws:iam::123456789012:role/elt-copy");
        assertThat(r.accessKeyId()).isNull();
        assertThat(r.longStrings()).isEqualTo("fail");
        assertThat(r.jdbcUrl()).isEqualTo("jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev");
        assertThat(r.defaultLoadInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.factory(null, DeleteMode.HARD, config.staging())).isNotNull();
    }

    @Test
    void parsesEveryKey() throws Exception {
        PipelineConfig config = parse(BASE, """
                destination:
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
        RedshiftSettings r = (RedshiftSettings) config.destination().warehouse();
        assertThat(r.port()).isEqualTo(5440);
        assertThat(r.accessKeyId()).isEqualTo("AKIAEXAMPLE");
        assertThat(r.secretAccessKey().value()).isEqualTo("aws-secret-value");
        assertThat(r.sessionToken().value()).isEqualTo("aws-token-value");
        assertThat(r.s3Region()).isEqualTo("us-east-1");
        assertThat(r.longStrings()).isEqualTo("truncate");
        assertThat(config.destination().schema()).isEqualTo("raw");
        assertThat(config.destination().deleteMode()).isEqualTo("soft");
        assertThat(config.destination().loadInterval()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void secretsAreNotInToString() throws Exception {
        PipelineConfig config = parse(
                BASE,
                "destination: { type: redshift, host: h.example.com, database: dev,"
                        + " username: elt, password: \"${env:RS_PASSWORD}\", aws-access-key-id: AKIAEXAMPLE,"
                        + " aws-secret-access-key: \"${env:AWS_SECRET}\", aws-session-token: \"${env:AWS_TOKEN}\" }");
        String text =
                config.toString() + config.destination() + config.destination().warehouse();
        assertThat(text)
                .doesNotContain("pw-from-env")
                .doesNotContain("aws-secret-value")
                .doesNotContain("aws-token-value")
                .contains("AKIAEXAMPLE");
    }

    @Test
    void missingKeysAreNamed() {
        ConfigException host =
                error(BASE, "destination: { type: redshift, database: dev, username: elt," + " iam-role: default }");
        assertThat(host.path()).isEqualTo("destination.host");
        assertThat(host).hasMessageContaining("required key is missing");

        ConfigException database =
                error(BASE, "destination: { type: redshift, host: h, username: elt, iam-role: default }");
        assertThat(database.path()).isEqualTo("destination.database");

        ConfigException credentials =
                error(BASE, "destination: { type: redshift, host: h, database: dev, username: elt }");
        assertThat(credentials.path()).isEqualTo("destination.iam-role");
        assertThat(credentials).hasMessageContaining("aws-access-key-id and aws-secret-access-key");

        ConfigException halfPair = error(
                BASE,
                "destination: { type: redshift, host: h, database: dev, username: elt," + " aws-access-key-id: AKIA }");
        assertThat(halfPair.path()).isEqualTo("destination.aws-secret-access-key");

        ConfigException both = error(
                BASE,
                "destination: { type: redshift, host: h, database: dev, username: elt,"
                        + " iam-role: default, aws-access-key-id: AKIA, aws-secret-access-key: s }");
        assertThat(both).hasMessageContaining("not both");

        ConfigException notArn = error(
                BASE,
                "destination: { type: redshift, host: h, database: dev, username: elt," + " iam-role: elt-copy }");
        assertThat(notArn.path()).isEqualTo("destination.iam-role");
        assertThat(notArn).hasMessageContaining("expected an IAM role ARN");
    }

    @Test
    void unknownAndWrongValuesAreRefused() {
        ConfigException unknown = error(BASE, "destination: { " + MINIMAL + ", path: /tmp/x }");
        assertThat(unknown.path()).isEqualTo("destination");
        assertThat(unknown).hasMessageContaining("unknown key \"path\"").hasMessageContaining("long-strings");

        ConfigException longStrings = error(BASE, "destination: { " + MINIMAL + ", long-strings: cut }");
        assertThat(longStrings.path()).isEqualTo("destination.long-strings");
        assertThat(longStrings).hasMessageContaining("expected one of fail, truncate");

        ConfigException host = error(
                BASE,
                "destination: { type: redshift, host: \"h.example.com:5439\", database: dev,"
                        + " username: elt, iam-role: default }");
        assertThat(host.path()).isEqualTo("destination.host");
        assertThat(host).hasMessageContaining("put the port in destination.port");
    }

    @Test
    void localStagingIsRefused() {
        String local = BASE.replace("s3://elt-staging/shop", "file:///tmp/staging");
        ConfigException e = error(local, "destination: { " + MINIMAL + " }");
        assertThat(e.path()).isEqualTo("staging.path");
        assertThat(e).hasMessageContaining("needs staging on S3").hasMessageContaining("COPY reads");

        String minio = BASE.replace(
                "staging: { path: \"s3://elt-staging/shop\" }",
                "staging: { path: \"s3://elt-staging/shop\","
                        + " s3: { endpoint: \"http://127.0.0.1:9000\", path-style-access: true } }");
        ConfigException endpoint = error(minio, "destination: { " + MINIMAL + " }");
        assertThat(endpoint.path()).isEqualTo("staging.s3.endpoint");
        assertThat(endpoint).hasMessageContaining("Amazon S3");
    }

    private static PipelineConfig parse(String base, String destination) throws ConfigException {
        return PipelineConfig.parse(base + destination + "\n", ENV_LOOKUP);
    }

    private static ConfigException error(String base, String destination) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(base, destination));
        assertThat(e).as("expected a ConfigException for %s", destination).isNotNull();
        return e;
    }
}
