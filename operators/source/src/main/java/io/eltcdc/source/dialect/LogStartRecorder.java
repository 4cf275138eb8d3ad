package io.eltcdc.source.dialect;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.LogStart;
import java.io.Serializable;
import java.sql.Connection;
import java.util.List;

/**
 * Records where the source's change log stands, before the first snapshot chunk is read (called by
 * the snapshot enumerator once, its result kept in the enumerator's checkpoint).
 */
@FunctionalInterface
public interface LogStartRecorder extends Serializable {

    /**
     * Makes sure the log from now on is kept for the pipeline and returns where it stands.
     *
     * @param connection an open connection to the source database (autocommit), not to be closed
     * @param tables the tables the pipeline captures
     */
    LogStart record(Connection connection, List<TableSchema> tables) throws Exception;
}
