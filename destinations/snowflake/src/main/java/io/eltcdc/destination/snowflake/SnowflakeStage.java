package io.eltcdc.destination.snowflake;

import io.eltcdc.model.SqlIdentifiers;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The external stage on the pipeline's S3 staging folder, through which COPY reads the staged
 * files. Snowflake reaches the bucket with a storage integration (recommended: no keys in SQL) or
 * with an AWS key pair.
 *
 * <p>The stage is created {@code IF NOT EXISTS}, so its name is derived from what it is made of
 * (folder, integration or key id): a pipeline whose staging folder or credentials setting changes
 * gets a new stage instead of silently reading the old folder. (A rotated secret key with the same
 * key id keeps the stage: drop it, {@code DROP STAGE ELT_CDC.STAGE_…}, and the next load
 * recreates it.)
 */
public final class SnowflakeStage implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String storageIntegration;
    private final String awsKeyId;
    private final String awsSecretKey;

    private SnowflakeStage(String url, String storageIntegration, String awsKeyId, String awsSecretKey) {
        this.url = folderUrl(url);
        this.storageIntegration = storageIntegration;
        this.awsKeyId = awsKeyId;
        this.awsSecretKey = awsSecretKey;
    }

    /** A stage reading {@code folder} ({@code s3://bucket/prefix}) through a storage integration. */
    public static SnowflakeStage withIntegration(String folder, String storageIntegration) {
        return new SnowflakeStage(folder, Objects.requireNonNull(storageIntegration, "storageIntegration"), null, null);
    }

    /** A stage reading {@code folder} ({@code s3://bucket/prefix}) with an AWS access key. */
    public static SnowflakeStage withAwsKey(String folder, String keyId, String secretKey) {
        return new SnowflakeStage(
                folder, null, Objects.requireNonNull(keyId, "keyId"), Objects.requireNonNull(secretKey, "secretKey"));
    }

    /** {@code s3://bucket/prefix/}: s3a:// as s3://, with the trailing slash the stage URL needs. */
    static String folderUrl(String folder) {
        String f = folder.trim();
        if (f.regionMatches(true, 0, "s3a://", 0, 6)) {
            f = "s3://" + f.substring(6);
        }
        if (!f.regionMatches(true, 0, "s3://", 0, 5) || f.length() <= 5 || f.charAt(5) == '/') {
            throw new IllegalArgumentException("the Snowflake stage needs an s3://bucket/prefix folder, got " + folder);
        }
        return "s3://" + f.substring(5) + (f.endsWith("/") ? "" : "/");
    }

    public String url() {
        return url;
    }

    /** The secret to keep out of messages, or null. */
    String secret() {
        return awsSecretKey;
    }

    /** {@code ELT_CDC.STAGE_<12 hex digits>}: upper-case letters and digits, usable unquoted. */
    String name() {
        String identity =
                url + "\n" + (storageIntegration != null ? "integration " + storageIntegration : "key " + awsKeyId);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return SnowflakeLedger.SCHEMA + ".STAGE_"
                    + HexFormat.of().formatHex(hash, 0, 6).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The statement that creates the stage; it holds the AWS secret key when one is used: never log it. */
    String createStatement() {
        return createStatement(awsSecretKey);
    }

    /** {@link #createStatement()} with the secret key masked, for messages. */
    String createStatementRedacted() {
        return createStatement(awsSecretKey == null ? null : "******");
    }

    private String createStatement(String secret) {
        String access = storageIntegration != null
                ? "STORAGE_INTEGRATION = " + objectName(storageIntegration)
                : "CREDENTIALS = (AWS_KEY_ID = " + SqlIdentifiers.literal(awsKeyId) + " AWS_SECRET_KEY = "
                        + SqlIdentifiers.literal(secret) + ")";
        return "CREATE STAGE IF NOT EXISTS " + name() + " URL = " + SqlIdentifiers.literal(url) + " " + access
                + " FILE_FORMAT = (TYPE = AVRO)";
    }

    /**
     * An account object's name as the user wrote it: a name Snowflake takes unquoted stays unquoted
     * (Snowflake resolves it case-insensitively, as it was most likely created), anything else is
     * quoted.
     */
    static String objectName(String name) {
        return SnowflakeNames.isUnquotedIdentifier(name) ? name : SqlIdentifiers.quote(name);
    }

    /** Which credentials the stage uses, for messages: never the secret. */
    @Override
    public String toString() {
        return "SnowflakeStage[" + url
                + (storageIntegration != null ? ", storage integration " + storageIntegration : ", AWS key " + awsKeyId)
                + "]";
    }
}
