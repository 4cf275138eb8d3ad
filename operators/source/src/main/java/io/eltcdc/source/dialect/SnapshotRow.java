package io.eltcdc.source.dialect;

import io.eltcdc.model.ChangeRecord;

/**
 * A row read from a chunk, on its way from the split reader to the emitter: the record, and for a
 * chunk read in physical order the row's location (null otherwise), which the emitter records as
 * the chunk's progress.
 */
public record SnapshotRow(ChangeRecord record, String rowLocation) {}
