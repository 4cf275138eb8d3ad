package io.eltcdc.staging;

import java.io.Serializable;
import java.time.Duration;

/**
 * Where and how records are staged.
 *
 * @param path base URI of the staged files: {@code file:///dir} or {@code s3://bucket/prefix}
 * @param rollSizeBytes a part file is rolled once it holds this many bytes
 * @param rollInterval a part file is rolled once it has been open this long
 * @param inactivityInterval a part file is rolled once no record arrived for this long
 * @param compression Avro codec: {@code none}, {@code deflate} or {@code snappy}
 */
public record StagingOptions(
        String path, long rollSizeBytes, Duration rollInterval, Duration inactivityInterval, String compression)
        implements Serializable {}
