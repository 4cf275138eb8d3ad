package io.eltcdc.job.run;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.LogStart;
import java.sql.Connection;
import java.util.List;

/**
 * Records where the source's change log stands before a job that reads the log beside the snapshot
 * starts afresh (PostgreSQL: publishes the tables and creates the slot, or reuses it; MySQL: the
 * binlog position). Both sources of the job start from it, so it is taken here, in {@code main},
 * not by the snapshot's enumerator as in the sequential mode.
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
}
