package io.eltcdc.destination.redshift;

import io.eltcdc.destination.DeleteMode;
import java.util.Objects;

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
        DeleteMode deleteMode) {

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
                + deleteMode.configName() + (schemaOverride == null ? "" : ", schema " + schemaOverride) + "]";
    }

    /** The URL without its parameters, which may hold a password. */
    static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        int semicolon = jdbcUrl.indexOf(';');
        int cut = query < 0 ? semicolon : semicolon < 0 ? query : Math.min(query, semicolon);
        return cut < 0 ? jdbcUrl : jdbcUrl.substring(0, cut);
    }
}
