package io.eltcdc.sink.load;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.sink.StagingRetention;
import io.eltcdc.sink.commit.StagedBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the staged files of loaded batches once no restore can deliver them again, as the
 * {@link StagingRetention} allows.
 *
 * <ul>
 *   <li>A batch loaded before checkpoint C's snapshot is in no pending list of C or later, and the
 *       committer committed it before C too: once C completes, only a restore of an older
 *       checkpoint could ask for its files. So its files are deleted after C completes, never
 *       before.
 *   <li>Files are in the loader's state until their deletion has finished: a crash in between
 *       deletes them after the restore (deleting a missing file is not an error).
 *   <li>A file that cannot be deleted is logged and left; loading never waits for deletion.
 * </ul>
 *
 * Thread-safe: the loader's task thread records and snapshots, a thread of its own deletes.
 */
final class StagedFileCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StagedFileCleaner.class);

    private final StagingRetention retention;
    private final ExecutorService deleter;
    /** Loaded since the last snapshot: safe once a later checkpoint completes. */
    private List<StagedFileDeletion> loadedSinceSnapshot = new ArrayList<>();
    /** Loaded before the snapshot of a checkpoint not yet complete, by checkpoint. */
    private final TreeMap<Long, List<StagedFileDeletion>> awaitingCheckpoint = new TreeMap<>();
    /** Safe to delete; waiting for the retention, or being deleted. */
    private final Set<StagedFileDeletion> safe = new LinkedHashSet<>();

    private final Set<StagedFileDeletion> deleting = new LinkedHashSet<>();

    StagedFileCleaner(StagingRetention retention) {
        this.retention = retention;
        this.deleter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "elt-cdc-staging-cleanup");
            t.setDaemon(true);
            return t;
        });
    }

    /** Deletions of a restored checkpoint: that checkpoint completed, so all of them are safe. */
    synchronized void restore(List<StagedFileDeletion> restored) {
        safe.addAll(restored);
    }

    synchronized void loaded(List<StagedBatch> batches, long nowMillis) {
        if (!retention.deletes()) {
            return;
        }
        for (StagedBatch batch : batches) {
            // the files its loads read, as the loads name them
            List<String> paths = TableLoad.of(batch, 0).stream()
                    .flatMap(load -> load.files().stream())
                    .map(StagedFile::path)
                    .toList();
            if (!paths.isEmpty()) {
                loadedSinceSnapshot.add(new StagedFileDeletion(nowMillis, paths));
            }
        }
    }

    /** The deletions to keep in checkpoint {@code checkpointId}, taken now. */
    synchronized List<StagedFileDeletion> snapshot(long checkpointId) {
        if (!loadedSinceSnapshot.isEmpty()) {
            awaitingCheckpoint.put(checkpointId, loadedSinceSnapshot);
            loadedSinceSnapshot = new ArrayList<>();
        }
        List<StagedFileDeletion> all = new ArrayList<>(safe);
        awaitingCheckpoint.values().forEach(all::addAll);
        return all;
    }

    /** Checkpoint {@code checkpointId} completed: what was loaded before it may go. */
    synchronized void checkpointComplete(long checkpointId, long nowMillis) {
        var done = awaitingCheckpoint.headMap(checkpointId, true);
        done.values().forEach(safe::addAll);
        done.clear();
        for (StagedFileDeletion deletion : safe) {
            if (!deleting.contains(deletion) && retention.expired(deletion.loadedAtMillis(), nowMillis)) {
                deleting.add(deletion);
                try {
                    deleter.execute(() -> delete(deletion));
                } catch (RejectedExecutionException closed) {
                    deleting.remove(deletion);
                    return;
                }
            }
        }
    }

    private void delete(StagedFileDeletion deletion) {
        for (String uri : deletion.paths()) {
            Path path = new Path(uri);
            try {
                FileSystem fs = path.getFileSystem();
                fs.delete(path, false);
            } catch (IOException e) {
                LOG.warn("could not delete the loaded staged file {} (left in place): {}", uri, e.toString());
            }
        }
        synchronized (this) {
            safe.remove(deletion);
            deleting.remove(deletion);
        }
    }

    /** Stops deleting; waits for deletions under way first when the job finished (not cancelled). */
    void close(boolean finished) {
        if (!finished) {
            deleter.shutdownNow();
            return;
        }
        deleter.shutdown();
        try {
            deleter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
