package io.eltcdc.job.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Remembers in the pipeline's state dir that its initial sync completed. A finished Flink job
 * leaves no checkpoint to resume from, so without this a second {@code run} would sync every table
 * again (harmless for tables with a key, duplicate rows for tables without one).
 */
final class SnapshotCompletion {
    private static final String FILE = "initial-sync-completed";

    private final Path marker;

    SnapshotCompletion(String stateDir) {
        this.marker = new Path(stateDir, FILE);
    }

    /** When the initial sync completed, if it did. */
    Optional<String> completedAt() throws IOException {
        FileSystem fs = marker.getFileSystem();
        if (!fs.exists(marker)) {
            return Optional.empty();
        }
        try (var in = fs.open(marker)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    void markCompleted() throws IOException {
        try (OutputStream out = marker.getFileSystem().create(marker, FileSystem.WriteMode.OVERWRITE)) {
            out.write((Instant.now().toString() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    String location() {
        return marker.toString();
    }
}
