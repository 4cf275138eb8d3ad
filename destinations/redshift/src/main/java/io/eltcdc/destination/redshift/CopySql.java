package io.eltcdc.destination.redshift;

import io.eltcdc.destination.LoadException;
import io.eltcdc.model.SqlIdentifiers;

/**
 * The COPY statement that fills the raw table from a batch part's manifest:
 * {@code COPY "_elt_raw" FROM 's3://…/part-0.manifest' IAM_ROLE '…' FORMAT AS AVRO 'auto' MANIFEST
 * [REGION '…'] COMPUPDATE OFF STATUPDATE OFF}. Compression analysis and statistics are off: the
 * raw table is temporary and read once.
 */
final class CopySql {
    private final CopyCredentials credentials;
    private final String region;

    /** @param region the S3 bucket's region when it differs from the cluster's, or null */
    CopySql(CopyCredentials credentials, String region) {
        this.credentials = credentials;
        this.region = region == null || region.isBlank() ? null : region.trim();
    }

    /** The statement to run (it holds the credentials: never log it). */
    String copy(String table, String manifestUrl) {
        return statement(table, manifestUrl, credentials.sql());
    }

    /** The statement as messages show it, secrets masked. */
    String redacted(String table, String manifestUrl) {
        return statement(table, manifestUrl, credentials.redactedSql());
    }

    /** {@code text} with the credentials' secrets masked. */
    String scrub(String text) {
        String out = text;
        for (String secret : credentials.secrets()) {
            out = LoadException.scrub(out, secret);
        }
        return out;
    }

    private String statement(String table, String manifestUrl, String credentialsSql) {
        return "COPY " + table + " FROM " + SqlIdentifiers.literal(CopyManifest.s3Url(manifestUrl)) + " "
                + credentialsSql + " FORMAT AS AVRO 'auto' MANIFEST"
                + (region == null ? "" : " REGION " + SqlIdentifiers.literal(region))
                + " COMPUPDATE OFF STATUPDATE OFF";
    }
}
