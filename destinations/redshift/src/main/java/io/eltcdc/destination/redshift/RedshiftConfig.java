package io.eltcdc.destination.redshift;

import io.eltcdc.config.Secret;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A redshift {@code destination} section as {@link RedshiftDestinationProvider} read it. It travels
 * inside the job graph; secrets are {@link Secret}s, so printing it never shows them.
 *
 * @param iamRole the role COPY reads S3 with, or null for the access key pair
 * @param s3Region the staging bucket's region when it is not the cluster's, or null
 * @param schema the schema of every target table, or null for each source table's schema
 * @param stagingPath {@code staging.path}: the S3 folder the load files are written under
 * @param tls {@code destination.tls}, or null for the driver's default (TLS, verify-ca with the
 *     Redshift CAs it bundles)
 */
public record RedshiftConfig(
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
        LongStrings longStrings,
        String schema,
        DeleteMode deleteMode,
        String stagingPath,
        TlsSettings tls)
        implements DestinationConfig {

    @Override
    public Destination create() {
        return new RedshiftDestination(options());
    }

    /** {@code jdbc:redshift://host:port/database}. */
    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:redshift://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    RedshiftOptions options() {
        return new RedshiftOptions(
                jdbcUrl(),
                username,
                password == null ? null : password.value(),
                iamRole != null
                        ? new CopyCredentials.IamRole(iamRole)
                        : new CopyCredentials.AccessKeys(
                                accessKeyId,
                                secretAccessKey.value(),
                                sessionToken == null ? null : sessionToken.value()),
                s3Region,
                stagingPath,
                longStrings,
                schema,
                deleteMode,
                tls);
    }
}
