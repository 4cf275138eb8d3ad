package io.eltcdc.job.config;

import java.time.Duration;

/**
 * The {@code pipeline} section.
 *
 * @param name names the pipeline's files, job and ledger rows: {@code [A-Za-z0-9][A-Za-z0-9_-]*}
 * @param parallelism 1 to 1024 (default 1)
 * @param checkpointInterval default 10s
 * @param stateDir where checkpoints and the pipeline's markers live, as a URI ({@code file:///x},
 *     {@code s3://bucket/prefix}); null when not configured
 */
public record PipelineSettings(String name, int parallelism, Duration checkpointInterval, String stateDir) {}
