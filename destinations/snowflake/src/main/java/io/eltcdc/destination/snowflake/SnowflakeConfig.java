package io.eltcdc.destination.snowflake;

import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationConfig;

/**
 * A snowflake {@code destination} section as {@link SnowflakeDestinationProvider} read it. It travels
 * inside the job graph; secrets are {@link Secret}s, so printing it never shows them.
 *
 * @param privateKey PEM text of the private key (usually {@code ${env:…}})
 * @param privateKeyFile path of a PEM file on every TaskManager
 * @param privateKeyPassphrase for an encrypted private key; null for none
 * @param role null for the user's default role
 * @param schema the schema of every target table, or null for each source table's schema
 * @param identifierCase {@code identifier-case}: how schemas, tables and columns are named
 * @param stagingPath {@code staging.path}: the S3 folder the external stage reads
 */
public record SnowflakeConfig(
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
        Secret awsSecretAccessKey,
        String schema,
        DeleteMode deleteMode,
        SnowflakeNames identifierCase,
        String stagingPath)
        implements DestinationConfig {

    @Override
    public Destination create() {
        return new SnowflakeDestination(connectionSettings(), stage(), schema, deleteMode, identifierCase);
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

    SnowflakeStage stage() {
        return storageIntegration != null
                ? SnowflakeStage.withIntegration(stagingPath, storageIntegration)
                : SnowflakeStage.withAwsKey(stagingPath, awsAccessKeyId, awsSecretAccessKey.value());
    }
}
