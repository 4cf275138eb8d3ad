package io.eltcdc.destination.sql;

import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedKeys;
import io.eltcdc.destination.staged.StagedRows;
import java.sql.Connection;
import java.util.List;

/** How a destination fills the staging table ({@link MergeSql#createStage()}) with a batch's records. */
@FunctionalInterface
public interface BatchStager {

    /**
     * Writes every record of {@code files} into the staging table, in the caller's transaction:
     * per record the batch's columns (NULL where the file's schema version lacks one), then its
     * operation name and position. Stagers feed every record to a {@link StagedKeys}, so that the
     * merge learns whether keys repeat and whether there are DELETEs.
     *
     * @return the records written, and what was learnt about them
     */
    StagedRows stage(Connection c, MergeSql sql, List<StagedFileReader> files) throws Exception;
}
