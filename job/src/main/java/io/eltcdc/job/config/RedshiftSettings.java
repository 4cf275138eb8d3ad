package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
import io.eltcdc.config.StorageUris;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.redshift.CopyCredentials;
import io.eltcdc.destination.redshift.LongStrings;
import io.eltcdc.destination.redshift.RedshiftDestination;
import io.eltcdc.destination.redshift.RedshiftOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code destination} section of a redshift destination:
 * <pre>
 * destination:
 *   type: redshift
 *   host: examplecluster.abc123.eu-west-1.redshift.amazonaws.com
 *   port: 5439                      # the default
 *   database: dev
 *   username: elt
 *   password: "${env:REDSHIFT_PASSWORD}"
 *   iam-role: arn:aws:iam::123456789012:role/elt-copy   # or aws-access-key-id + aws-secret-access-key
 *   s3-region: eu-west-1            # only when the staging bucket is in another region than the cluster
 *   long-strings: fail              # or truncate
 * </pre>
 * COPY reads the load files from the pipeline's S3 staging path, with the IAM role (attached to the
 * cluster) or the access keys given here. Secrets are {@link Secret}s: never printed.
 */
public record RedshiftSettings(
        String host,
        int port,
        String database,
        String username,
        Secret password,
        String iamRole,
        String accessKeyId,
        Secret secretAccessKey,
        Secret sessionToken,
        String s3Region,
        String longStrings)
        implements WarehouseSettings {
    static final int DEFAULT_PORT = 5439;
    static final List<String> OWN_KEYS = List.of(
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
            "long-strings");
    static final List<String> LONG_STRINGS = List.of("fail", "truncate");

    /** Reads the redshift-specific keys; the shared ones are {@link DestinationParser#SHARED_KEYS}. */
    static RedshiftSettings parse(ConfigNode node) throws ConfigException {
        List<String> known = new ArrayList<>(DestinationParser.SHARED_KEYS);
        known.addAll(OWN_KEYS);
        node.checkNoUnknownKeys(known);
        String host = PostgresAddress.requiredHost(node, required(node, "host", "the cluster's endpoint host name"));
        int port = node.optionalInt("port", DEFAULT_PORT, 1, 65535);
        String database = node.requiredString(required(node, "database", "the database name"));
        String username = node.requiredString(required(node, "username", "the database user"));
        Secret password = node.optionalSecret("password");
        String iamRole = node.optionalString("iam-role");
        String accessKeyId = node.optionalString("aws-access-key-id");
        Secret secretAccessKey = node.optionalSecret("aws-secret-access-key");
        Secret sessionToken = node.optionalSecret("aws-session-token");
        if (iamRole != null && (accessKeyId != null || secretAccessKey != null || sessionToken != null)) {
            throw node.error(
                    "iam-role",
                    "set either iam-role or aws-access-key-id and aws-secret-access-key,"
                            + " not both: COPY authenticates to S3 one way");
        }
        if (iamRole == null) {
            if (accessKeyId == null && secretAccessKey == null) {
                throw node.error(
                        "iam-role",
                        "required key is missing (a redshift destination needs the IAM role"
                                + " COPY reads the staging bucket with, attached to the cluster: iam-role:"
                                + " arn:aws:iam::<account>:role/<name>, or default for the cluster's default role;"
                                + " or aws-access-key-id and aws-secret-access-key)");
            }
            if (accessKeyId == null) {
                throw node.error(
                        "aws-access-key-id",
                        "required key is missing (aws-secret-access-key is set;" + " COPY needs the key pair)");
            }
            if (secretAccessKey == null) {
                throw node.error(
                        "aws-secret-access-key",
                        "required key is missing (aws-access-key-id is set;"
                                + " COPY needs the key pair; use \"${env:NAME}\" to keep it out of the file)");
            }
        } else if (!iamRole.equalsIgnoreCase("default") && !iamRole.startsWith("arn:")) {
            throw node.error(
                    "iam-role",
                    "expected an IAM role ARN (arn:aws:iam::<account>:role/<name>) or default," + " got "
                            + Found.quote(iamRole));
        }
        String longStrings = node.optionalChoice("long-strings", "fail", LONG_STRINGS);
        return new RedshiftSettings(
                host,
                port,
                database,
                username,
                password,
                iamRole,
                accessKeyId,
                secretAccessKey,
                sessionToken,
                node.optionalString("s3-region"),
                longStrings);
    }

    private static String required(ConfigNode node, String key, String what) throws ConfigException {
        if (!node.keys().contains(key)) {
            throw node.error(key, "required key is missing (a redshift destination needs " + what + ")");
        }
        return key;
    }

    /** {@code jdbc:redshift://host:port/database}. */
    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:redshift://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofSeconds(60);
    }

    /** COPY reads from Amazon S3 only: staging must be there (and not on another S3-compatible store). */
    @Override
    public void checkStaging(StagingSettings staging) throws ConfigException {
        if (!StorageUris.isS3(staging.path())) {
            throw new ConfigException(
                    "staging.path",
                    "the redshift destination needs staging on S3"
                            + " (s3://bucket/prefix), got " + Found.quote(staging.path())
                            + ": Redshift's COPY reads the"
                            + " batches' load files from there. Set staging.path to a folder of an S3 bucket that the"
                            + " cluster can read (iam-role or the access keys of destination)");
        }
        String endpoint = staging.s3() == null ? null : staging.s3().endpoint();
        if (endpoint != null && !endpoint.toLowerCase(Locale.ROOT).contains("amazonaws.com")) {
            throw new ConfigException(
                    "staging.s3.endpoint",
                    "the redshift destination reads the staged files with"
                            + " COPY from Amazon S3, which cannot reach " + Found.quote(endpoint)
                            + "; remove staging.s3.endpoint and stage to an Amazon S3 bucket");
        }
    }

    @Override
    public DestinationFactory factory(String schema, DeleteMode deleteMode, StagingSettings staging) {
        // Plain strings and enums only: the factory travels inside the job graph.
        String url = jdbcUrl();
        String user = username;
        String pass = password == null ? null : password.value();
        String role = iamRole;
        String keyId = accessKeyId;
        String secret = secretAccessKey == null ? null : secretAccessKey.value();
        String token = sessionToken == null ? null : sessionToken.value();
        String region = s3Region;
        String loadPath = staging.path();
        LongStrings strings = LongStrings.of(longStrings);
        return () -> new RedshiftDestination(new RedshiftOptions(
                url,
                user,
                pass,
                role != null ? new CopyCredentials.IamRole(role) : new CopyCredentials.AccessKeys(keyId, secret, token),
                region,
                loadPath,
                strings,
                schema,
                deleteMode));
    }
}
