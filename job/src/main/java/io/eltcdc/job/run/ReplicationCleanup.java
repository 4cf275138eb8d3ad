package io.eltcdc.job.run;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.config.SourceSettings;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.postgres.PostgresSlots;
import java.sql.Connection;
import java.sql.SQLException;

/** Removes what a pipeline keeps on its source server for the change log (PostgreSQL's slot). */
public final class ReplicationCleanup {
    private ReplicationCleanup() {}

    /** Drops the pipeline's slot and publication; returns what it did, for the user. */
    public static String dropSlot(PipelineConfig config) throws SQLException {
        SourceSettings source = config.source();
        if (source.isMySql()) {
            return "A MySQL source keeps nothing on the server for the pipeline (the binlog is the server's own):"
                    + " nothing to drop.";
        }
        String pipeline = config.pipeline().name();
        String slot = ReplicationNames.slot(pipeline);
        try (Connection c = Preflight.connect(
                source.jdbcUrl(),
                source.username(),
                source.password() == null ? null : source.password().value())) {
            boolean existed = PostgresSlots.drop(c, slot, ReplicationNames.publication(pipeline));
            return existed
                    ? "Dropped replication slot " + slot + " and publication " + ReplicationNames.publication(pipeline)
                            + " of pipeline '" + pipeline + "'. Its next run needs a new initial sync (delete its"
                            + " state dir)."
                    : "Pipeline '" + pipeline + "' has no replication slot (" + slot + ") on the source; dropped its"
                            + " publication if there was one.";
        }
    }
}
