package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.Secret;
import io.eltcdc.config.StorageUris;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.snowflake.SnowflakeConnectionSettings;
import io.eltcdc.destination.snowflake.SnowflakeDestination;
import io.eltcdc.destination.snowflake.SnowflakeStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code destination} section of a snowflake destination: the account and login (a password,
 * or key-pair authentication with a private key given as PEM text or as a file), the role,
 * warehouse and database, and how Snowflake reads the S3 staging folder (a storage integration,
 * or an AWS key pair). Secrets are {@link Secret}s: printing the settings never shows them.
 *
 * @param privateKey PEM text of the private key (usually {@code ${env:…}})
 * @param privateKeyFile path of a PEM file on every TaskManager
 * @param privateKeyPassphrase for an encrypted private key; null for none
 * @param role null for the user's default role
 */
public record SnowflakeSettings(
        String account,
        String user,
        Secret password,
        Secret privateKey,
        String privateKeyFile,
        Secret privateKeyPassphrase,
        String role,
        String warehouse,
        String database,
        String storageIntegration,
        String awsAccessKeyId,
        Secret awsSecretAccessKey)
        implements WarehouseSettings {

    /** The snowflake destination's own keys; {@link DestinationParser#SHARED_KEYS} come beside them. */
    static final List<String> OWN_KEYS = List.of(
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
            "aws-secret-access-key");

    /** Reads the snowflake-specific keys; the shared ones are {@link DestinationParser#SHARED_KEYS}. */
    static SnowflakeSettings parse(ConfigNode node) throws ConfigException {
        List<String> known = new ArrayList<>(DestinationParser.SHARED_KEYS);
        known.addAll(OWN_KEYS);
        node.checkNoUnknownKeys(known);
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
        return new SnowflakeSettings(
                account,
                user,
                password,
                privateKey,
                privateKeyFile,
                passphrase,
                node.optionalString("role"),
                warehouse,
                database,
                integration,
                keyId,
                secretKey);
    }

    private static String required(ConfigNode node, String key, String what) throws ConfigException {
        if (!node.has(key)) {
            throw node.error(key, "required key is missing (a snowflake destination needs " + what + ")");
        }
        return node.requiredString(key);
    }

    @Override
    public Duration defaultLoadInterval() {
        return Duration.ofSeconds(60);
    }

    /** Snowflake COPYs the staged files from S3: staging must be there. */
    @Override
    public void checkStaging(StagingSettings staging) throws ConfigException {
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

    @Override
    public DestinationFactory factory(String schema, DeleteMode deleteMode, StagingSettings staging) {
        // Plain strings only: the factory travels inside the job graph.
        SnowflakeConnectionSettings connection = connectionSettings();
        SnowflakeStage stage = storageIntegration != null
                ? SnowflakeStage.withIntegration(staging.path(), storageIntegration)
                : SnowflakeStage.withAwsKey(staging.path(), awsAccessKeyId, awsSecretAccessKey.value());
        return () -> new SnowflakeDestination(connection, stage, schema, deleteMode);
    }

    SnowflakeConnectionSettings connectionSettings() {
        String passphrase = privateKeyPassphrase == null ? null : privateKeyPassphrase.value();
        if (password != null) {
            return SnowflakeConnectionSettings.withPassword(account, user, password.value(), role, warehouse, database);
        }
        if (privateKey != null) {
            return SnowflakeConnectionSettings.withPrivateKey(
                    account, user, privateKey.value(), passphrase, role, warehouse, database);
        }
        return SnowflakeConnectionSettings.withPrivateKeyFile(
                account, user, privateKeyFile, passphrase, role, warehouse, database);
    }
}
