package io.eltcdc.destination.redshift;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
import io.eltcdc.config.StorageUris;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.DestinationSection;
import io.eltcdc.destination.StagingLocation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code destination.type: redshift}. COPY reads the load files from the pipeline's staging folder,
 * so staging must be on Amazon S3, and it authenticates there one way: an IAM role attached to the
 * cluster, or an access key pair.
 */
public final class RedshiftDestinationProvider implements DestinationProvider {
    static final int DEFAULT_PORT = 5439;
    /** In the README's order. */
    static final List<String> KEYS = List.of(
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

    static final List<String> LONG_STRINGS = List.of("fail", "truncate");

    @Override
    public String type() {
        return "redshift";
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    /** Each load runs COPY and a transaction on the cluster: load at most once a minute unless configured. */
    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofSeconds(60);
    }

    @Override
    public RedshiftConfig parse(ConfigNode node, StagingLocation staging) throws ConfigException {
        DestinationSection.required(node, "host", this, "the cluster's endpoint host name");
        String host = PostgresAddress.requiredHost(node, "host");
        int port = node.optionalInt("port", DEFAULT_PORT, 1, 65535);
        String database = DestinationSection.required(node, "database", this, "the database name");
        String username = DestinationSection.required(node, "username", this, "the database user");
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
        LongStrings longStrings = LongStrings.of(node.optionalChoice("long-strings", "fail", LONG_STRINGS));
        String s3Region = node.optionalString("s3-region");
        String schema = DestinationSection.schema(node);
        DeleteMode deleteMode = DestinationSection.deleteMode(node);
        TlsSettings tls = TlsSettings.parse(node, "tls");
        checkStaging(staging);
        return new RedshiftConfig(
                host,
                port,
                database,
                username,
                password,
                iamRole,
                accessKeyId,
                secretAccessKey,
                sessionToken,
                s3Region,
                longStrings,
                schema,
                deleteMode,
                staging.path(),
                tls);
    }

    /** COPY reads from Amazon S3 only: staging must be there (and not on another S3-compatible store). */
    private static void checkStaging(StagingLocation staging) throws ConfigException {
        if (!StorageUris.isS3(staging.path())) {
            throw new ConfigException(
                    "staging.path",
                    "the redshift destination needs staging on S3"
                            + " (s3://bucket/prefix), got " + Found.quote(staging.path())
                            + ": Redshift's COPY reads the"
                            + " batches' load files from there. Set staging.path to a folder of an S3 bucket that the"
                            + " cluster can read (iam-role or the access keys of destination)");
        }
        String endpoint = staging.s3Endpoint();
        if (endpoint != null && !endpoint.toLowerCase(Locale.ROOT).contains("amazonaws.com")) {
            throw new ConfigException(
                    "staging.s3.endpoint",
                    "the redshift destination reads the staged files with"
                            + " COPY from Amazon S3, which cannot reach " + Found.quote(endpoint)
                            + "; remove staging.s3.endpoint and stage to an Amazon S3 bucket");
        }
    }
}
