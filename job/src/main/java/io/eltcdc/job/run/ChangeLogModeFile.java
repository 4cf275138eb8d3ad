package io.eltcdc.job.run;

import java.io.IOException;
import java.util.Optional;

/**
 * Remembers in the pipeline's state dir whether its change log is read during or after the
 * snapshot ({@code source.log-during-snapshot}): the two modes run different sources, so a
 * checkpoint of one does not restore in the other, and a run that would try says so in one line
 * instead of failing inside Flink. A state dir without the file is of the sequential mode (builds
 * before the setting).
 */
final class ChangeLogModeFile {
    static final String DURING = "during-snapshot";
    static final String AFTER = "after-snapshot";

    private final StateDirFile file;

    ChangeLogModeFile(String stateDir) {
        this.file = new StateDirFile(stateDir, "change-log-mode");
    }

    static String of(boolean logDuringSnapshot) {
        return logDuringSnapshot ? DURING : AFTER;
    }

    /** The mode the pipeline started in, or empty for a fresh state dir. */
    Optional<String> read() throws IOException {
        return file.read();
    }

    void write(String mode) throws IOException {
        file.write(mode);
    }

    /**
     * The one-line error for resuming a checkpoint of {@code started} with {@code configured}, or
     * empty when they agree.
     */
    static Optional<String> mismatch(String started, String configured, String stateDir) {
        if (started.equals(configured)) {
            return Optional.empty();
        }
        return Optional.of("the pipeline started with source.log-during-snapshot: "
                + (DURING.equals(started) ? "true" : "false") + ", and its checkpoints in " + stateDir
                + " do not restore in the other mode. Set it back to continue, or start over with an empty"
                + " state-dir (and fresh destination tables) to switch");
    }
}
