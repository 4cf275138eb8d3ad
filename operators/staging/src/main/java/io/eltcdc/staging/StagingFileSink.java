package io.eltcdc.staging;

import io.eltcdc.model.ChangeRecord;
import java.time.Duration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/** Builds the FileSink that stages change records as Avro files, one bucket per table and schema version. */
public final class StagingFileSink {
    private StagingFileSink() {}

    public static FileSink<ChangeRecord> build(StagingOptions options) {
        long rollMillis = options.rollInterval().toMillis();
        long inactivityMillis = options.inactivityInterval().toMillis();
        // Time-based rolling is checked on this interval; check often enough for the shorter limit.
        long checkInterval = Math.max(200, Math.min(rollMillis, inactivityMillis) / 2);
        return FileSink.forBulkFormat(new Path(options.path()), new AvroStagingWriterFactory(options.compression()))
                .withBucketAssigner(new TableBucketAssigner())
                .withRollingPolicy(new StagingRollingPolicy(options.rollSizeBytes(), rollMillis, inactivityMillis))
                .withBucketCheckInterval(checkInterval)
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("part")
                        .withPartSuffix(".avro")
                        .build())
                .build();
    }

    /** Default options for tests and tools: 64 MiB, 60 s, 15 s, no compression. */
    public static StagingOptions defaults(String path) {
        return new StagingOptions(path, 64L << 20, Duration.ofSeconds(60), Duration.ofSeconds(15), "none");
    }
}
