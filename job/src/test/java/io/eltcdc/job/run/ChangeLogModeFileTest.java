package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state dir remembers the change-log mode it started in, and a resume in the other mode is refused. */
class ChangeLogModeFileTest {
    @TempDir
    Path stateDir;

    @Test
    void aResumeInTheOtherModeIsRefusedWithTheKeyAndTheWayOut() throws Exception {
        ChangeLogModeFile file = new ChangeLogModeFile(stateDir.toUri().toString());
        assertThat(file.read()).isEmpty();

        file.write(ChangeLogModeFile.of(false));

        assertThat(file.read()).contains(ChangeLogModeFile.AFTER);
        assertThat(ChangeLogModeFile.mismatch(file.read().get(), ChangeLogModeFile.of(false), "file:///s"))
                .isEmpty();
        assertThat(ChangeLogModeFile.mismatch(file.read().get(), ChangeLogModeFile.of(true), "file:///s"))
                .contains("the pipeline started with source.log-during-snapshot: false, and its checkpoints in"
                        + " file:///s do not restore in the other mode. Set it back to continue, or start over with"
                        + " an empty state-dir (and fresh destination tables) to switch");
    }
}
