package io.eltcdc.job.run;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.LogSourceFactory;
import io.eltcdc.source.log.LogStart;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * Records where the source's change log stands before a job that reads the log beside the snapshot
 * starts afresh (PostgreSQL: publishes the tables and creates the slot, or reuses it; MySQL: the
 * binlog position). Both sources of the job start from it, so it is taken here, in {@code main},
 * not by the snapshot's enumerator as in the sequential mode. A job that resumes records nothing:
 * its log must still be there ({@link #logGone}).
 */
final class LogStartBeforeJob {
    private LogStartBeforeJob() {}

    static LogStart record(CdcSourceConfig cdc, List<TableSchema> tables) {
        try (Connection connection = cdc.openConnection()) {
            return cdc.kind().logStartRecorder(cdc).record(connection, tables);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Could not record where the change log of the source " + cdc.host() + ":" + cdc.port() + "/"
                            + cdc.database() + " stands before the snapshot: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Before a local run resumes: why the log it is to read from is gone (a dropped or invalidated
     * slot, a purged binlog), or empty when it is there. Said here, in one line and before the job
     * starts, rather than by the restored job's enumerator while its readers already fail.
     */
    static Optional<String> logGone(CdcSourceConfig cdc) {
        try {
            new LogSourceFactory(cdc).checkLogStillThere(null);
            return Optional.empty();
        } catch (LogSourceFactory.LogGoneException e) {
            return Optional.of(e.getMessage());
        }
    }
}
