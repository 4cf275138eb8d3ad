package io.eltcdc.model.sync;

import io.eltcdc.model.PathSegments;
import io.eltcdc.model.TableId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The control files of a pipeline's table syncs, in its staging folder under
 * {@code _control/<pipeline>/}: the one place the parts of a running job (and the {@code resync}
 * command) agree on, on a local disk as on S3.
 *
 * <ul>
 *   <li>{@code requests/<table>}: a re-sync asked for by the {@code resync} command.
 *   <li>{@code syncs/<table>.start}: the sync source is about to read the table: from the first
 *       checkpoint that sees this file, the pre-commit step holds the table's files back.
 *   <li>{@code syncs/<table>.end}: every row of the table's sync is staged: the held files go out
 *       together (a re-sync replaces the target table), then both files are deleted.
 *   <li>{@code snapshot-complete/<table>}: the initial snapshot, read while the change log is read
 *       too ({@code source.log-during-snapshot}), has read every row of the table, and a checkpoint
 *       that holds them all has completed: the pre-commit step stops keeping the table's tombstones.
 *       Written by the snapshot's enumerator only after that checkpoint completed, so a restore never
 *       goes back behind a marker; deleted when a pipeline starts afresh.
 * </ul>
 *
 * Each file holds {@code kind}, schema and table on lines of their own, so file names only need
 * to be unique.
 */
public final class TableSyncControl implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Why a table is synced. */
    public enum Kind {
        /** Created in the source after the pipeline started: merged into the target as it is. */
        NEW_TABLE,
        /** Re-synced on request: the target table is replaced. */
        RESYNC,
        /** Read by the initial snapshot beside the change log: merged into the target as it is. */
        INITIAL
    }

    /** A sync under way, as its control files say. */
    public record Sync(TableId table, Kind kind, boolean ended) {}

    private final String root;

    /** @param stagingPath the pipeline's {@code staging.path} */
    public TableSyncControl(String stagingPath, String pipeline) {
        this.root = stripSlash(stagingPath) + "/_control/" + PathSegments.escape(pipeline);
    }

    public void requestResync(TableId table) throws IOException {
        write(new Path(root + "/requests/" + fileName(table)), Kind.RESYNC, table);
    }

    /** The tables whose re-sync was asked for and not yet done. */
    public List<TableId> resyncRequests() throws IOException {
        List<TableId> out = new ArrayList<>();
        for (Path file : list(new Path(root + "/requests"))) {
            out.add(read(file).table());
        }
        return out;
    }

    public void requestDone(TableId table) throws IOException {
        delete(new Path(root + "/requests/" + fileName(table)));
    }

    public void started(TableId table, Kind kind) throws IOException {
        write(syncFile(table, ".start"), kind, table);
    }

    public void ended(TableId table, Kind kind) throws IOException {
        write(syncFile(table, ".end"), kind, table);
    }

    /** The syncs whose start file exists, each with whether its end file does too. */
    public Map<TableId, Sync> syncs() throws IOException {
        Map<TableId, Sync> started = new LinkedHashMap<>();
        List<TableId> ended = new ArrayList<>();
        for (Path file : list(new Path(root + "/syncs"))) {
            Sync marker = read(file);
            if (file.getName().endsWith(".start")) {
                started.put(marker.table(), marker);
            } else {
                ended.add(marker.table());
            }
        }
        started.replaceAll((table, sync) -> new Sync(table, sync.kind(), ended.contains(table)));
        return started;
    }

    /** Deletes a finished sync's files (the end file last: a sync with only an end file is none). */
    public void clear(TableId table) throws IOException {
        delete(syncFile(table, ".start"));
        delete(syncFile(table, ".end"));
    }

    /** The initial snapshot has read every row of {@code table}, in a checkpoint that completed. */
    public void snapshotComplete(TableId table) throws IOException {
        write(new Path(root + "/snapshot-complete/" + fileName(table)), Kind.INITIAL, table);
    }

    /** The tables whose initial snapshot is complete ({@link #snapshotComplete}). */
    public Set<TableId> snapshotsComplete() throws IOException {
        Set<TableId> out = new LinkedHashSet<>();
        for (Path file : list(new Path(root + "/snapshot-complete"))) {
            out.add(read(file).table());
        }
        return out;
    }

    /** A pipeline that starts afresh: markers of an earlier start do not apply. */
    public void clearSnapshotsComplete() throws IOException {
        for (Path file : list(new Path(root + "/snapshot-complete"))) {
            delete(file);
        }
    }

    private Path syncFile(TableId table, String suffix) {
        return new Path(root + "/syncs/" + fileName(table) + suffix);
    }

    private static String fileName(TableId table) {
        return PathSegments.escape(table.schema()) + "." + PathSegments.escape(table.table());
    }

    private static void write(Path file, Kind kind, TableId table) throws IOException {
        FileSystem fs = file.getFileSystem();
        try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write((kind.name() + "\n" + table.schema() + "\n" + table.table() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Sync read(Path file) throws IOException {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(file.getFileSystem().open(file), StandardCharsets.UTF_8))) {
            Kind kind = Kind.valueOf(Objects.requireNonNull(in.readLine(), "kind"));
            TableId table = new TableId(
                    Objects.requireNonNull(in.readLine(), "schema"), Objects.requireNonNull(in.readLine(), "table"));
            return new Sync(table, kind, false);
        } catch (RuntimeException e) {
            throw new IOException("control file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        FileSystem fs = dir.getFileSystem();
        List<Path> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        FileStatus[] statuses = fs.listStatus(dir);
        if (statuses != null) {
            for (FileStatus status : statuses) {
                if (!status.isDir()) {
                    out.add(status.getPath());
                }
            }
        }
        return out;
    }

    private static void delete(Path file) throws IOException {
        file.getFileSystem().delete(file, false);
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public String toString() {
        return "TableSyncControl[" + root + "]";
    }
}
