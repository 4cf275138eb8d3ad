package io.eltcdc.destination.redshift;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.staging.StagingFileSystems;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Assumptions;

/**
 * The contract suite with Redshift's own cases ({@link RedshiftContract}) against a real Redshift
 * cluster or Serverless workgroup, when its environment variables are set; skipped, naming the
 * first missing one, otherwise:
 * <ul>
 *   <li>{@code REDSHIFT_JDBC_URL}: {@code jdbc:redshift://host:5439/dev}
 *   <li>{@code REDSHIFT_USER}, {@code REDSHIFT_PASSWORD}
 *   <li>{@code REDSHIFT_IAM_ROLE} (an ARN, or {@code default}), or {@code REDSHIFT_COPY_ACCESS_KEY_ID} and
 *       {@code REDSHIFT_COPY_SECRET_ACCESS_KEY}: how COPY reads the load files
 *   <li>{@code ELT_TEST_S3_STAGING}: an {@code s3://bucket/prefix} folder the test writes load
 *       files to; the test process writes with the default AWS credentials ({@code AWS_ACCESS_KEY_ID}
 *       and {@code AWS_SECRET_ACCESS_KEY}, or a profile), through Flink's S3 file system
 * </ul>
 * The staged files stay local (the loader reads them through Flink's file systems, as in the job);
 * only the load files go to S3. Each run uses schemas of its own test tables: {@code resetDestination}
 * drops every schema but {@code public} and Redshift's own, so point it at a scratch database.
 */
class RedshiftDestinationContractTest extends RedshiftContract {
    private static final List<String> REQUIRED =
            List.of("REDSHIFT_JDBC_URL", "REDSHIFT_USER", "REDSHIFT_PASSWORD", "ELT_TEST_S3_STAGING");

    private static boolean fileSystemsReady;

    /** The first variable the suite needs that is not set, or null. */
    private static String missingVariable() {
        for (String name : REQUIRED) {
            if (env(name) == null) {
                return name;
            }
        }
        if (env("REDSHIFT_IAM_ROLE") == null) {
            if (env("REDSHIFT_COPY_ACCESS_KEY_ID") == null) {
                return "REDSHIFT_IAM_ROLE (or REDSHIFT_COPY_ACCESS_KEY_ID and REDSHIFT_COPY_SECRET_ACCESS_KEY)";
            }
            if (env("REDSHIFT_COPY_SECRET_ACCESS_KEY") == null) {
                return "REDSHIFT_COPY_SECRET_ACCESS_KEY";
            }
        }
        return null;
    }

    /** Skips the test, naming the missing variable, unless every one is set; then makes S3 writable once. */
    private static void requireEnvironment() {
        String missing = missingVariable();
        Assumptions.assumeTrue(missing == null, () -> "Redshift contract suite skipped: " + missing + " is not set");
        if (!fileSystemsReady) {
            Configuration s3 = new Configuration();
            if (env("AWS_ACCESS_KEY_ID") != null && env("AWS_SECRET_ACCESS_KEY") != null) {
                s3.setString("s3.access-key", env("AWS_ACCESS_KEY_ID"));
                s3.setString("s3.secret-key", env("AWS_SECRET_ACCESS_KEY"));
            }
            StagingFileSystems.initialize(s3);
            fileSystemsReady = true;
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    protected void resetDestination() throws SQLException {
        requireEnvironment(); // the first hook of every test's set-up
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (var r = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\\\_%'"
                    + " AND nspname NOT IN ('information_schema', 'public', 'catalog_history')")) {
                while (r.next()) {
                    schemas.add(r.getString(1));
                }
            }
            for (String schema : schemas) {
                s.execute("DROP SCHEMA \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
            }
        }
    }

    @Override
    protected Destination createDestination(String schemaOverride, DeleteMode deleteMode) {
        CopyCredentials credentials = env("REDSHIFT_IAM_ROLE") != null
                ? new CopyCredentials.IamRole(env("REDSHIFT_IAM_ROLE"))
                : new CopyCredentials.AccessKeys(
                        env("REDSHIFT_COPY_ACCESS_KEY_ID"),
                        env("REDSHIFT_COPY_SECRET_ACCESS_KEY"),
                        env("REDSHIFT_COPY_SESSION_TOKEN"));
        String loadPath = env("ELT_TEST_S3_STAGING").replaceAll("/+$", "") + "/contract-" + UUID.randomUUID();
        return new RedshiftDestination(new RedshiftOptions(
                env("REDSHIFT_JDBC_URL"),
                env("REDSHIFT_USER"),
                env("REDSHIFT_PASSWORD"),
                credentials,
                env("REDSHIFT_S3_REGION"),
                loadPath,
                LongStrings.FAIL,
                schemaOverride,
                deleteMode));
    }

    @Override
    protected Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", env("REDSHIFT_USER"));
        properties.setProperty("password", env("REDSHIFT_PASSWORD"));
        return DriverManager.getConnection(env("REDSHIFT_JDBC_URL"), properties);
    }

    @Override
    protected String destinationName() {
        return "Redshift " + RedshiftOptions.withoutParameters(env("REDSHIFT_JDBC_URL"));
    }

    @Override
    protected boolean widensColumnTypes() {
        return false; // Redshift only makes VARCHARs longer; RedshiftSqlOnPostgresTest checks the refusal
    }
}
