package io.eltcdc.sink.commit;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * Commits a checkpoint's staged files (makes them visible under their final names) and nothing
 * else: loading them is the next operator's job, off Flink's checkpoint-complete path.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>A batch is handed on (Flink emits it to the loader) only once every one of its files is
 *       committed: any failure or retry the FileSink's committer signals fails the commit.
 *   <li>Committing is idempotent: a batch restored from a checkpoint whose completion was not
 *       seen is committed again, and Flink emits it again; the loader's ledger makes the repeat
 *       harmless.
 * </ul>
 *
 * Public for {@code StagingLoadSink} only.
 */
@Internal
public final class StagedFileCommitter implements Committer<StagedBatch> {
    private final Committer<FileSinkCommittable> fileCommitter;

    /** @param fileCommitter the FileSink's committer */
    public StagedFileCommitter(Committer<FileSinkCommittable> fileCommitter) {
        this.fileCommitter = fileCommitter;
    }

    @Override
    public void commit(Collection<CommitRequest<StagedBatch>> requests) throws IOException, InterruptedException {
        for (CommitRequest<StagedBatch> request : requests) {
            fileCommitter.commit(FileCommitRequest.all(request.getCommittable().files()));
        }
    }

    @Override
    public void close() throws Exception {
        fileCommitter.close();
    }
}
