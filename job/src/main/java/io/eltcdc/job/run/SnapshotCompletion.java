package io.eltcdc.job.run;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers in the pipeline's state dir that its initial sync completed. A finished Flink job
 * leaves no checkpoint to resume from, so without this a second {@code run} would sync every table
 * again (harmless for tables with a key, duplicate rows for tables without one).
 */
final class SnapshotCompletion {
    private final StateDirFile marker;

    SnapshotCompletion(String stateDir) {
        this.marker = new StateDirFile(stateDir, "initial-sync-completed");
    }

    /** When the initial sync completed, if it did. */
    Optional<String> completedAt() throws IOException {
        return marker.read();
    }

    void markCompleted() throws IOException {
        marker.write(Instant.now().toString());
    }

    String location() {
        return marker.location();
    }
}
