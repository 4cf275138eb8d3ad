package io.eltcdc.destination.snowflake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The Snowflake account and S3 staging folder the live contract test runs against, from
 * environment variables; {@link #missing()} names the first one that is not set.
 *
 * <ul>
 *   <li>{@code SNOWFLAKE_ACCOUNT}, {@code SNOWFLAKE_USER}, and {@code SNOWFLAKE_PASSWORD} or
 *       {@code SNOWFLAKE_PRIVATE_KEY_FILE} (with {@code SNOWFLAKE_PRIVATE_KEY_PASSPHRASE} when the key
 *       is encrypted); {@code SNOWFLAKE_ROLE} optionally;
 *   <li>{@code SNOWFLAKE_DATABASE} (a scratch database: the test drops the schemas it uses) and
 *       {@code SNOWFLAKE_WAREHOUSE};
 *   <li>{@code ELT_TEST_S3_STAGING}: an {@code s3://bucket/prefix} folder the test uploads the
 *       staged files to, with {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (used to
 *       upload, and by the stage unless {@code SNOWFLAKE_STORAGE_INTEGRATION} names an integration).
 * </ul>
 */
record LiveSnowflake(Map<String, String> env) {
    static LiveSnowflake fromEnvironment() {
        return new LiveSnowflake(System.getenv());
    }

    private String get(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The first variable the test needs that is not set, or null when all are. */
    String missing() {
        for (String name : new String[] {
            "SNOWFLAKE_ACCOUNT",
            "SNOWFLAKE_USER",
            "SNOWFLAKE_DATABASE",
            "SNOWFLAKE_WAREHOUSE",
            "ELT_TEST_S3_STAGING",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY"
        }) {
            if (get(name) == null) {
                return name;
            }
        }
        return get("SNOWFLAKE_PASSWORD") == null && get("SNOWFLAKE_PRIVATE_KEY_FILE") == null
                ? "SNOWFLAKE_PASSWORD (or SNOWFLAKE_PRIVATE_KEY_FILE)"
                : null;
    }

    SnowflakeConnectionSettings connection() {
        Function<String, String> e = this::get;
        if (get("SNOWFLAKE_PASSWORD") != null) {
            return SnowflakeConnectionSettings.withPassword(
                    e.apply("SNOWFLAKE_ACCOUNT"),
                    e.apply("SNOWFLAKE_USER"),
                    e.apply("SNOWFLAKE_PASSWORD"),
                    e.apply("SNOWFLAKE_ROLE"),
                    e.apply("SNOWFLAKE_WAREHOUSE"),
                    e.apply("SNOWFLAKE_DATABASE"));
        }
        try {
            String pem = Files.readString(Path.of(e.apply("SNOWFLAKE_PRIVATE_KEY_FILE")));
            return SnowflakeConnectionSettings.withPrivateKey(
                    e.apply("SNOWFLAKE_ACCOUNT"),
                    e.apply("SNOWFLAKE_USER"),
                    pem,
                    e.apply("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"),
                    e.apply("SNOWFLAKE_ROLE"),
                    e.apply("SNOWFLAKE_WAREHOUSE"),
                    e.apply("SNOWFLAKE_DATABASE"));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read SNOWFLAKE_PRIVATE_KEY_FILE", ex);
        }
    }

    /** The S3 folder this run's files go to: a fresh sub-folder of {@code ELT_TEST_S3_STAGING}. */
    String stagingFolder(String run) {
        String base = get("ELT_TEST_S3_STAGING");
        return (base.endsWith("/") ? base : base + "/") + run;
    }

    SnowflakeStage stage(String folder) {
        String integration = get("SNOWFLAKE_STORAGE_INTEGRATION");
        return integration != null
                ? SnowflakeStage.withIntegration(folder, integration)
                : SnowflakeStage.withAwsKey(folder, get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"));
    }

    String awsAccessKey() {
        return get("AWS_ACCESS_KEY_ID");
    }

    String awsSecretKey() {
        return get("AWS_SECRET_ACCESS_KEY");
    }

    /** Properties of a connection that reads the results back: fixed output formats the test can parse. */
    Properties readProperties() {
        Properties p = connection().properties();
        p.setProperty("DATE_OUTPUT_FORMAT", "YYYY-MM-DD");
        p.setProperty("TIME_OUTPUT_FORMAT", "HH24:MI:SS.FF6");
        p.setProperty("TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD\"T\"HH24:MI:SS.FF6");
        p.setProperty("TIMESTAMP_TZ_OUTPUT_FORMAT", "YYYY-MM-DD\"T\"HH24:MI:SS.FF6TZH:TZM");
        return p;
    }
}
