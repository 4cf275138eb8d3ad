package io.eltcdc.job.run;

/** What a run of the pipeline does. */
public enum RunMode {
    /** The initial sync, then every change from the source's log, until stopped. */
    CONTINUOUS,
    /** The initial sync only; ends once every table is loaded. Creates no replication slot. */
    SNAPSHOT_ONLY,
    /** Benchmark aid: the snapshot, read and discarded. */
    SOURCE_ONLY;

    public boolean readsChangeLog() {
        return this == CONTINUOUS;
    }
}
