package io.eltcdc.destination.redshift;

import java.sql.Connection;
import java.util.List;

/** Fills the raw table ({@link RedshiftSql#RAW}) of a batch part from its load files, in the caller's transaction. */
@FunctionalInterface
interface RawTableLoader {

    /**
     * @param folder the batch's folder of load files
     * @param part the part's number (several when a column's type changed within the batch)
     * @param files the part's load files, at least one
     */
    void load(Connection c, String folder, int part, List<String> files) throws Exception;
}
