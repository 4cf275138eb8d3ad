package io.eltcdc.destination;

/**
 * Where the pipeline stages its files ({@code staging.path}), for destinations that read the staged
 * files themselves (a warehouse's COPY from S3).
 *
 * @param path folder URI: {@code file:///dir}, {@code s3://bucket/prefix} or {@code s3a://bucket/prefix}
 * @param s3Endpoint {@code staging.s3.endpoint}: null for Amazon S3 itself
 */
public record StagingLocation(String path, String s3Endpoint) {}
