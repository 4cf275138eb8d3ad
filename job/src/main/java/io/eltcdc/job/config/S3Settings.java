package io.eltcdc.job.config;

import io.eltcdc.config.Secret;

/**
 * The {@code staging.s3} section. Every field but {@code pathStyleAccess} is null when not
 * configured (the S3 client's defaults then apply: AWS endpoints, the default credential chain).
 */
public record S3Settings(String endpoint, String accessKey, Secret secretKey, boolean pathStyleAccess, String region) {}
