package io.eltcdc.job.run;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.config.SourceSettings;
import java.sql.SQLException;

/** Removes what a pipeline keeps on its source server for the change log (PostgreSQL's slot). */
public final class ReplicationCleanup {
    private ReplicationCleanup() {}

    /** Drops the pipeline's slot and publication; returns what it did, for the user. */
    public static String dropSlot(PipelineConfig config) throws SQLException {
        SourceSettings source = config.source();
        return source.kind().dropReplication(config.pipeline().name(), () -> Preflight.connect(source));
    }

    /** Whether the pipeline's change-log reader may be streaming now (see {@code SourceKind#mayBeStreaming}). */
    public static boolean mayBeStreaming(PipelineConfig config) throws SQLException {
        SourceSettings source = config.source();
        return source.kind().mayBeStreaming(config.pipeline().name(), () -> Preflight.connect(source));
    }
}
