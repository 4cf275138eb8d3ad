package io.eltcdc.job.config;

import io.eltcdc.config.Secret;

/**
 * The {@code staging.s3} section. Every field but {@code pathStyleAccess} is null when not
 * configured (the S3 client's defaults then apply: AWS endpoints, the default credential chain).
 *
 * @param caFile {@code ca-file}: PEM file of a CA the S3 endpoint's certificate is signed by, trusted
 *     besides the JVM's CAs
 */
public record S3Settings(
        String endpoint, String accessKey, Secret secretKey, boolean pathStyleAccess, String region, String caFile) {

    /** Without a CA file. */
    public S3Settings(String endpoint, String accessKey, Secret secretKey, boolean pathStyleAccess, String region) {
        this(endpoint, accessKey, secretKey, pathStyleAccess, region, null);
    }
}
