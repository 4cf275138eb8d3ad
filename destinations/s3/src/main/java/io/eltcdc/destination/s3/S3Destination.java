package io.eltcdc.destination.s3;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Writes each batch as files under a folder of an object store ({@code s3://bucket/prefix}) or of
 * the local file system ({@code file:///dir}): an append-only history of the change records, with
 * {@code _elt_op} and {@code _elt_position}, nothing merged. See {@link S3Layout} for the layout and
 * {@link S3Manifest} for the manifest format.
 *
 * <p>Exactly once in effect, for readers that go by the manifests:
 *
 * <ul>
 *   <li>A batch's data files get deterministic names (batch id and a hash of the staged file's path),
 *       so loading the batch again overwrites the same files instead of adding copies.
 *   <li>The manifest {@code _manifests/<batchId>.json} is written last, in one piece (a single PUT on
 *       an object store; a temporary file renamed into place on a local file system). A batch whose
 *       manifest exists is not loaded again ({@link LoadResult#alreadyLoaded()}).
 *   <li>A load interrupted after some files were copied leaves no manifest; the batch is loaded
 *       again when the committer redelivers it, rewriting those files under the same names, and only
 *       then the manifest, which lists each file once. Files that no manifest lists are leftovers
 *       of such an interruption (or of a batch never redelivered) and may be deleted.
 * </ul>
 *
 * <p>Files go through Flink's {@link FileSystem}, so {@code s3://} uses the S3 plugin and settings the
 * job initialized for staging. Staged files are copied as they are: self-describing Avro with the
 * table's schema.
 */
public final class S3Destination implements Destination {
    public static final String FORMAT_AVRO = "avro";

    /** Called after each data file of a batch is in place; tests use it to interrupt a load. */
    interface FileListener {
        void copied(int index, Path target) throws IOException;
    }

    private final S3Layout layout;
    private final Clock clock;
    private final FileListener listener;

    /** @param root the destination folder: {@code s3://bucket/prefix}, {@code s3a://…} or {@code file:///dir} */
    public S3Destination(String root) {
        this(root, Clock.systemUTC(), (index, target) -> {});
    }

    S3Destination(String root, Clock clock, FileListener listener) {
        this.layout = new S3Layout(Objects.requireNonNull(root, "root"));
        this.clock = clock;
        this.listener = listener;
    }

    public S3Layout layout() {
        return layout;
    }

    /** Nothing to create; writes each table version's Avro schema to {@code _schemas/<version>.avsc} where missing. */
    @Override
    public void createTables(List<TableSchema> tables) throws Exception {
        for (TableSchema table : tables) {
            Path file = layout.schemaFile(table.id(), table.version());
            try {
                FileSystem fs = file.getFileSystem();
                if (!fs.exists(file)) {
                    writeWhole(
                            fs, file, AvroSchemas.toAvro(table).toString(true).getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new IOException(
                        "writing the schema of " + table.id() + " to " + file + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public LoadResult load(LoadBatch batch) throws LoadException {
        try {
            return loadBatch(batch);
        } catch (Exception e) {
            throw new LoadException(batch, null, name(), e, null);
        }
    }

    private LoadResult loadBatch(LoadBatch batch) throws IOException {
        Path manifestPath = layout.manifest(batch.table(), batch.batchId());
        FileSystem fs = manifestPath.getFileSystem();
        if (fs.exists(manifestPath)) {
            return LoadResult.alreadyLoaded();
        }
        Path tableDir = layout.tableDir(batch.table());
        List<StagedFile> files = new ArrayList<>(batch.files());
        files.sort(Comparator.comparing(StagedFile::path));
        List<S3Manifest.FileEntry> entries = new ArrayList<>();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        long rows = 0;
        for (StagedFile file : files) {
            if (file.sizeBytes() == 0) {
                continue; // no Avro header, no rows: nothing to copy
            }
            String name = S3Layout.dataFileName(batch.batchId(), file.path());
            Path target = new Path(tableDir, name);
            AvroFileCopy.Stats stats = copy(file, batch.table(), target);
            schemas.putIfAbsent(stats.tableSchema().version(), stats.schema());
            entries.add(new S3Manifest.FileEntry(
                    name,
                    uri(target),
                    stats.bytes(),
                    stats.rows(),
                    stats.minPosition(),
                    stats.maxPosition(),
                    stats.tableSchema().version()));
            rows += stats.rows();
            listener.copied(entries.size() - 1, target);
        }
        entries.sort(Comparator.comparing(S3Manifest.FileEntry::path));
        S3Manifest manifest = new S3Manifest(
                batch.pipeline(),
                batch.table(),
                batch.batchId(),
                clock.instant(),
                FORMAT_AVRO,
                entries,
                new ArrayList<>(schemas.values()));
        writeWhole(fs, manifestPath, manifest.toJson());
        return new LoadResult(rows, rows, false);
    }

    /** The path as a URI, local files as {@code file:///…} (Flink's Path gives {@code file:/…}). */
    private static String uri(Path path) {
        String uri = path.toUri().toString();
        return uri.startsWith("file:/") && !uri.startsWith("file://")
                ? "file://" + uri.substring("file:".length())
                : uri;
    }

    /** Copies a staged file of {@code table} to {@code target} (replacing what a previous attempt left there). */
    private static AvroFileCopy.Stats copy(StagedFile file, TableId table, Path target) throws IOException {
        Path source = new Path(file.path());
        FileSystem targetFs = target.getFileSystem();
        Path writeTo = inPlace(targetFs) ? target : temporary(target);
        AvroFileCopy.Stats stats;
        try (FSDataInputStream in = source.getFileSystem().open(source)) {
            stats = AvroFileCopy.copy(in, file.path(), table, () -> targetFs.create(writeTo, WriteMode.OVERWRITE));
            if (stats.bytes() != file.sizeBytes()) {
                // A file cut at a block boundary reads as valid Avro: only its size tells.
                throw new IOException("read " + stats.bytes() + " bytes of staged file " + file.path()
                        + ", which was committed with " + file.sizeBytes());
            }
        } catch (IOException | RuntimeException e) {
            // Closing the output of a failed copy may have published a partial object: remove it.
            try {
                targetFs.delete(writeTo, false);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (writeTo != target) {
            rename(targetFs, writeTo, target);
        }
        return stats;
    }

    /** Writes {@code bytes} so that {@code file} appears whole or not at all. */
    private static void writeWhole(FileSystem fs, Path file, byte[] bytes) throws IOException {
        Path writeTo = inPlace(fs) ? file : temporary(file);
        try (OutputStream out = fs.create(writeTo, WriteMode.OVERWRITE)) {
            out.write(bytes);
        }
        if (writeTo != file) {
            rename(fs, writeTo, file);
        }
    }

    /**
     * Object stores publish an object only when its upload completes, so files are written in place;
     * on other file systems a file is written under a temporary name and renamed.
     */
    private static boolean inPlace(FileSystem fs) {
        String scheme = fs.getUri().getScheme();
        return scheme != null && !scheme.equals("file") && fs.isDistributedFS();
    }

    private static Path temporary(Path file) {
        return new Path(file.getParent(), "." + file.getName() + ".inprogress");
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    /**
     * Yes, by its nature: the history keeps every record, so a DELETE loaded before the snapshot row
     * of its key (of lower position) stays the key's latest record for a reader, with or without
     * {@link LoadBatch#keepsTombstones()}; nothing is purged ({@link LoadBatch#purgesTombstones()}
     * changes nothing either).
     */
    @Override
    public boolean supportsTombstones() {
        return true;
    }

    /** Replays the manifests, one key range at a time ({@link S3TableChecksums}). */
    @Override
    public Optional<TableChecksums> checksums() {
        return Optional.of(new S3TableChecksums(layout));
    }

    /** Nothing is held between loads. */
    @Override
    public void close() {}

    private String name() {
        return "S3 destination " + layout.root();
    }

    @Override
    public String toString() {
        return "S3Destination[" + layout.root() + "]";
    }
}
