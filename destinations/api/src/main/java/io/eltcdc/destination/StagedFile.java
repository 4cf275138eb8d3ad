package io.eltcdc.destination;

import java.io.Serializable;

/**
 * A committed staged file.
 *
 * @param path its full URI ({@code file:///…} or {@code s3://…}), readable with Flink's file systems
 * @param sizeBytes its size, for logs and metrics
 */
public record StagedFile(String path, long sizeBytes) implements Serializable {}
