package io.eltcdc.sink.commit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * A request to the FileSink's own committer for one file. The load must not run over files that
 * are not committed, so any failure or retry the file committer signals is raised at once.
 */
final class FileCommitRequest implements CommitRequest<FileSinkCommittable> {
    private final FileSinkCommittable committable;

    private FileCommitRequest(FileSinkCommittable committable) {
        this.committable = committable;
    }

    static Collection<CommitRequest<FileSinkCommittable>> all(List<FileSinkCommittable> files) {
        List<CommitRequest<FileSinkCommittable>> requests = new ArrayList<>(files.size());
        files.forEach(f -> requests.add(new FileCommitRequest(f)));
        return requests;
    }

    @Override
    public FileSinkCommittable getCommittable() {
        return committable;
    }

    @Override
    public int getNumberOfRetries() {
        return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
        throw new IllegalStateException("committing staged file " + describe() + " failed", t);
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
        throw new IllegalStateException("committing staged file " + describe() + " failed", t);
    }

    @Override
    public void retryLater() {
        throw new IllegalStateException("committing staged file " + describe() + " asked for a retry");
    }

    @Override
    public void updateAndRetryLater(FileSinkCommittable committable) {
        retryLater();
    }

    @Override
    public void signalAlreadyCommitted() {
        // Committed before a restore: fine, the load that follows is idempotent.
    }

    private String describe() {
        return committable.hasPendingFile()
                ? String.valueOf(committable.getPendingFile().getPath())
                : committable.getBucketId();
    }
}
