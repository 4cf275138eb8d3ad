package io.eltcdc.load;

import io.eltcdc.model.TableId;
import java.util.List;

/**
 * The committed staged files of one source table that are loaded together.
 *
 * @param pipeline the pipeline's name: ledger rows are kept per pipeline
 * @param table the source table the files hold rows of
 * @param batchId stable id of this set of files (the same files give the same id): the ledger key
 * @param files the staged Avro files, in no particular order; rows carry their own positions
 */
public record LoadBatch(String pipeline, TableId table, String batchId, List<StagedFile> files) {
    public LoadBatch {
        files = List.copyOf(files);
    }
}
