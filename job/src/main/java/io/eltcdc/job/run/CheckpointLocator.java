package io.eltcdc.job.run;

import java.io.IOException;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds the latest completed checkpoint a previous run of the pipeline left in its checkpoints
 * folder: the {@code chk-N} with the highest N that has its {@code _metadata} (a checkpoint
 * interrupted while being written has none and is skipped).
 */
public final class CheckpointLocator {
    private CheckpointLocator() {}

    public static Optional<String> latest(String checkpointsDir, JobID jobId) throws IOException {
        Path jobDir = new Path(checkpointsDir, jobId.toHexString());
        FileSystem fs = jobDir.getFileSystem();
        if (!fs.exists(jobDir)) {
            return Optional.empty();
        }
        FileStatus[] entries = fs.listStatus(jobDir);
        if (entries == null) {
            return Optional.empty();
        }
        long best = -1;
        Path bestPath = null;
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (!entry.isDir() || !name.startsWith("chk-")) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(name.substring(4));
            } catch (NumberFormatException e) {
                continue;
            }
            if (n > best && fs.exists(new Path(entry.getPath(), "_metadata"))) {
                best = n;
                bestPath = entry.getPath();
            }
        }
        return Optional.ofNullable(bestPath).map(Path::toString);
    }
}
