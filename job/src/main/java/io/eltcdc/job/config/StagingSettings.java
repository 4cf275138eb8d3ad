package io.eltcdc.job.config;

import io.eltcdc.sink.StagingRetention;
import java.time.Duration;
import org.apache.flink.configuration.MemorySize;

/**
 * The {@code staging} section: where and how change records are written before loading.
 *
 * @param path folder URI: {@code file:///dir}, {@code s3://bucket/prefix} or {@code s3a://bucket/prefix}
 * @param rollSize default 64mb
 * @param rollInterval default 60s
 * @param inactivityInterval default 15s
 * @param compression {@code none} (default), {@code deflate} or {@code snappy}
 * @param retention {@code retention}: when loaded files are deleted (default: once safe)
 * @param s3 S3 client settings; null when the section is absent
 */
public record StagingSettings(
        String path,
        MemorySize rollSize,
        Duration rollInterval,
        Duration inactivityInterval,
        String compression,
        StagingRetention retention,
        S3Settings s3) {}
