package io.eltcdc.destination.redshift;

import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DeleteMode;
import java.util.Objects;
import java.util.Properties;

/**
 * What a {@link RedshiftDestination} needs.
 *
 * @param jdbcUrl {@code jdbc:redshift://host:5439/database}
 * @param username the database user
 * @param password the user's password, or null (for example when the URL uses IAM authentication)
 * @param credentials how COPY reads the load files from S3
 * @param s3Region the load files' bucket region when it is not the cluster's, or null
 * @param loadPath the folder URI load files are written under: the pipeline's S3 staging path
 * @param longStrings what to do with values longer than Redshift takes
 * @param schemaOverride the schema of every target table, or null for each source table's schema
 * @param deleteMode what a DELETE does to the target row
 * @param tls {@code destination.tls}, or null for the driver's default
 */
public record RedshiftOptions(
        String jdbcUrl,
        String username,
        String password,
        CopyCredentials credentials,
        String s3Region,
        String loadPath,
        LongStrings longStrings,
        String schemaOverride,
        DeleteMode deleteMode,
        TlsSettings tls) {

    /** Without a {@code tls} block. */
    public RedshiftOptions(
            String jdbcUrl,
            String username,
            String password,
            CopyCredentials credentials,
            String s3Region,
            String loadPath,
            LongStrings longStrings,
            String schemaOverride,
            DeleteMode deleteMode) {
        this(
                jdbcUrl,
                username,
                password,
                credentials,
                s3Region,
                loadPath,
                longStrings,
                schemaOverride,
                deleteMode,
                null);
    }

    public RedshiftOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(loadPath, "loadPath");
        Objects.requireNonNull(longStrings, "longStrings");
        Objects.requireNonNull(deleteMode, "deleteMode");
    }

    /** Never shows the password or secret keys. */
    @Override
    public String toString() {
        return "RedshiftOptions[" + withoutParameters(jdbcUrl) + (username == null ? "" : " as " + username)
                + ", password " + (password == null ? "none" : "****") + ", " + credentials.redactedSql()
                + ", load path " + loadPath + ", long strings " + longStrings.configName() + ", delete mode "
                + deleteMode.configName() + (schemaOverride == null ? "" : ", schema " + schemaOverride)
                + (tls == null ? "" : ", " + tls) + "]";
    }

    /**
     * The Redshift driver's keys for {@code destination.tls} (those of pgjdbc, which it derives
     * from, and {@code ssl}): {@code ssl=false} for mode disable; otherwise {@code ssl=true},
     * {@code sslmode}, {@code sslrootcert}, {@code sslcert} and {@code sslkey} (PKCS-8 DER). Empty
     * without a block.
     */
    Properties tlsProperties() {
        Properties p = new Properties();
        if (tls == null) {
            return p;
        }
        p.setProperty("ssl", Boolean.toString(tls.mode().encrypts()));
        if (tls.mode().encrypts()) {
            tls.addPgjdbcProperties(p, "");
        }
        return p;
    }

    /** The URL without its parameters, which may hold a password. */
    static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        int semicolon = jdbcUrl.indexOf(';');
        int cut = query < 0 ? semicolon : semicolon < 0 ? query : Math.min(query, semicolon);
        return cut < 0 ? jdbcUrl : jdbcUrl.substring(0, cut);
    }
}
