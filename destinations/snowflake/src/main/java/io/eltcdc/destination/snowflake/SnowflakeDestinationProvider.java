package io.eltcdc.destination.snowflake;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.Secret;
import io.eltcdc.config.StorageUris;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.DestinationSection;
import io.eltcdc.destination.StagingLocation;
import java.time.Duration;
import java.util.List;

/**
 * {@code destination.type: snowflake}. Exactly one login (password, or a private key as PEM text or
 * file) and exactly one way for the external stage to read S3 (a storage integration, or an AWS key
 * pair); staging must be on S3, where the stage reads the files from.
 */
public final class SnowflakeDestinationProvider implements DestinationProvider {
    /** In the README's order. */
    static final List<String> KEYS = List.of(
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

    @Override
    public String type() {
        return "snowflake";
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    /** Each load runs the warehouse, billed while it runs: load at most once a minute unless configured. */
    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofSeconds(60);
    }

    @Override
    public SnowflakeConfig parse(ConfigNode node, StagingLocation staging) throws ConfigException {
        String account =
                required(node, "account", "the account identifier, such as myorg-myaccount or xy12345.eu-central-1");
        String user = required(node, "user", "the user the pipeline logs in as");
        String warehouse = required(node, "warehouse", "the virtual warehouse that runs the loads");
        String database = required(node, "database", "the database the target tables are created in");
        Secret password = node.optionalSecret("password");
        Secret privateKey = node.optionalSecret("private-key");
        String privateKeyFile = node.optionalString("private-key-file");
        Secret passphrase = node.optionalSecret("private-key-passphrase");
        int logins = (password != null ? 1 : 0) + (privateKey != null ? 1 : 0) + (privateKeyFile != null ? 1 : 0);
        if (logins != 1) {
            throw new ConfigException(
                    node.path(),
                    (logins == 0 ? "no login given" : "more than one login given")
                            + ": set exactly one of password, private-key (the PEM text, e.g. \"${env:SNOWFLAKE_PRIVATE_KEY}\")"
                            + " and private-key-file (a PEM file on every TaskManager)");
        }
        if (passphrase != null && password != null) {
            throw node.error("private-key-passphrase", "applies to private-key or private-key-file, not to password");
        }
        String integration = node.optionalString("storage-integration");
        String keyId = node.optionalString("aws-access-key-id");
        Secret secretKey = node.optionalSecret("aws-secret-access-key");
        if (integration != null && (keyId != null || secretKey != null)) {
            throw new ConfigException(
                    node.path(),
                    "set either storage-integration or aws-access-key-id and"
                            + " aws-secret-access-key (how Snowflake reads the S3 staging folder), not both");
        }
        if (integration == null && (keyId == null || secretKey == null)) {
            String missing = keyId == null && secretKey == null
                    ? "storage-integration"
                    : keyId == null ? "aws-access-key-id" : "aws-secret-access-key";
            throw node.error(
                    missing,
                    "required key is missing (Snowflake reads the staged files from S3 through an"
                            + " external stage: name a storage integration (recommended), or give aws-access-key-id and"
                            + " aws-secret-access-key of a key that may read the staging folder)");
        }
        String role = node.optionalString("role");
        String schema = DestinationSection.schema(node);
        SnowflakeNames identifierCase = SnowflakeNames.of(
                node.optionalChoice("identifier-case", SnowflakeNames.UPPER.configName(), SnowflakeNames.CONFIG_NAMES));
        DeleteMode deleteMode = DestinationSection.deleteMode(node);
        checkStaging(staging);
        return new SnowflakeConfig(
                account,
                user,
                password,
                privateKey,
                privateKeyFile,
                passphrase,
                role,
                warehouse,
                database,
                integration,
                keyId,
                secretKey,
                schema,
                deleteMode,
                identifierCase,
                staging.path());
    }

    /** A key given without a value counts as missing here (unlike {@link DestinationSection#required}). */
    private String required(ConfigNode node, String key, String what) throws ConfigException {
        if (!node.has(key)) {
            throw node.error(key, "required key is missing (" + describe() + " needs " + what + ")");
        }
        return node.requiredString(key);
    }

    /** Snowflake COPYs the staged files from S3: staging must be there. */
    private static void checkStaging(StagingLocation staging) throws ConfigException {
        if (!StorageUris.isS3(staging.path())) {
            throw new ConfigException(
                    "staging.path",
                    "a snowflake destination loads the staged files from S3 through"
                            + " an external stage, so staging.path must be an s3://bucket/prefix folder (got "
                            + Found.quote(staging.path())
                            + "); set staging.path to a folder in a bucket Snowflake may read"
                            + " (see the README's Snowflake section for the bucket policy)");
        }
    }
}
