package io.eltcdc.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The S3 destination against a real S3 API (S3Proxy in this JVM, through flink-s3-fs-hadoop loaded
 * as a plugin, as the job does) and against a local folder: batches placed with a manifest written
 * last, a batch delivered again changes nothing, and a load interrupted between the data files and
 * the manifest ends consistent when the batch is delivered again.
 */
class S3DestinationTest {
    private static final String PIPELINE = "s3-test";
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableSchema ITEMS_V1 = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));
    private static final TableSchema ITEMS_V2 = new TableSchema(
            ITEMS,
            List.of(
                    new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                    Column.of("name", ColumnType.STRING),
                    new Column("price", ColumnType.DECIMAL, 10, 2, true, "numeric")),
            List.of("id"));
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123Z");
    private static final AtomicInteger RUN = new AtomicInteger();

    @TempDir
    static java.nio.file.Path shared;

    @TempDir
    java.nio.file.Path local;

    static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start(Files.createDirectories(shared.resolve("s3")));
        s3.createBucket("staging");
        s3.createBucket("lake");
        assertThat(StagingFileSystems.initialize(s3.flinkConfiguration()))
                .as("S3 plugin found")
                .isTrue();
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    /** A fresh destination root per test: {@code s3://lake/run-N} or a new local folder. */
    private String root(String kind) throws IOException {
        int run = RUN.incrementAndGet();
        return kind.equals("s3")
                ? "s3://lake/run-" + run
                : "file://" + Files.createDirectories(local.resolve("lake-" + run));
    }

    /** Stages {@code rows} as a file where the staging FileSink would have put it: on S3 for an S3 run. */
    private StagedFile stage(String kind, TableSchema schema, List<Row> rows) throws IOException {
        StagedFile file = StagedFiles.write(Files.createDirectories(local.resolve("staged")), schema, rows);
        if (!kind.equals("s3")) {
            return file;
        }
        Path target =
                new Path("s3://staging/" + ITEMS + "/" + schema.version() + "/" + new Path(file.path()).getName());
        write(target, Files.readAllBytes(java.nio.file.Path.of(java.net.URI.create(file.path()))));
        return new StagedFile(target.toUri().toString(), file.sizeBytes());
    }

    private S3Destination destination(String root) {
        return new S3Destination(root, Clock.fixed(NOW, ZoneOffset.UTC), (i, target) -> {});
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void placesTheFilesThenTheManifest(String kind) throws Exception {
        String root = root(kind);
        StagedFile a = stage(kind, ITEMS_V1, List.of(Row.of(Op.READ, 0, 1, "one"), Row.of(Op.READ, 0, 2, "two")));
        StagedFile b = stage(kind, ITEMS_V1, List.of(Row.of(Op.UPDATE, 17, 1, "uno"), Row.of(Op.DELETE, 9, 2, null)));
        BigInteger big = BigInteger.ONE.shiftLeft(125).add(BigInteger.valueOf(5)); // beyond 64 bits
        StagedFile c = stage(
                kind,
                ITEMS_V2,
                List.of(new Row(Op.INSERT, Position.of(big), 3, "three", new java.math.BigDecimal("9.99"))));
        LoadBatch batch = new LoadBatch(PIPELINE, ITEMS, "batch-1", List.of(c, a, b));

        LoadResult result = destination(root).load(batch);

        assertThat(result).isEqualTo(new LoadResult(5, 5, false));
        S3Layout layout = new S3Layout(root);
        S3Manifest manifest = readManifest(layout.manifest(ITEMS, "batch-1"));
        assertThat(manifest.pipeline()).isEqualTo(PIPELINE);
        assertThat(manifest.table()).isEqualTo(ITEMS);
        assertThat(manifest.batchId()).isEqualTo("batch-1");
        assertThat(manifest.createdAt()).isEqualTo(NOW);
        assertThat(manifest.format()).isEqualTo("avro");
        assertThat(manifest.rowCount()).isEqualTo(5);
        assertThat(manifest.minPosition()).isEqualTo(Position.SNAPSHOT);
        assertThat(manifest.maxPosition()).isEqualTo(Position.of(big));
        assertThat(manifest.schemasByVersion()).containsOnlyKeys(ITEMS_V1.version(), ITEMS_V2.version());
        assertThat(AvroSchemas.fromAvro(manifest.schemasByVersion().get(ITEMS_V2.version()))
                        .columns())
                .isEqualTo(ITEMS_V2.columns());

        List<S3Manifest.FileEntry> files = manifest.files();
        assertThat(files)
                .extracting(S3Manifest.FileEntry::path)
                .containsExactlyInAnyOrder(
                        S3Layout.dataFileName("batch-1", a.path()),
                        S3Layout.dataFileName("batch-1", b.path()),
                        S3Layout.dataFileName("batch-1", c.path()))
                .isSorted();
        for (StagedFile source : List.of(a, b, c)) {
            S3Manifest.FileEntry entry = files.stream()
                    .filter(f -> f.path().equals(S3Layout.dataFileName("batch-1", source.path())))
                    .findFirst()
                    .orElseThrow();
            Path copy = new Path(layout.tableDir(ITEMS), entry.path());
            assertThat(entry.uri())
                    .isEqualTo(copy.toUri().toString().replaceFirst("^file:/(?!/)", "file:///"))
                    .startsWith(kind.equals("s3") ? "s3://lake/" : "file:///");
            assertThat(read(copy))
                    .as("byte-for-byte copy of " + source.path())
                    .isEqualTo(read(new Path(source.path())));
            assertThat(entry.sizeBytes()).isEqualTo(source.sizeBytes());
        }
        S3Manifest.FileEntry ofB = entry(files, b);
        assertThat(ofB.rowCount()).isEqualTo(2);
        assertThat(ofB.minPosition()).isEqualTo(new Position(0, 9));
        assertThat(ofB.maxPosition()).isEqualTo(new Position(0, 17));
        assertThat(ofB.schemaVersion()).isEqualTo(ITEMS_V1.version());
        assertThat(entry(files, c).schemaVersion()).isEqualTo(ITEMS_V2.version());

        // The copies read back as the staged rows, with _elt_op and _elt_position.
        List<String> rows = new ArrayList<>();
        for (S3Manifest.FileEntry f : files) {
            rows.addAll(rows(new StagedFile(f.uri(), f.sizeBytes())));
        }
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        "READ 0 [1, one]",
                        "READ 0 [2, two]",
                        "UPDATE 17 [1, uno]",
                        "DELETE 9 [2, null]",
                        "INSERT " + big + " [3, three, 9.99]");
        assertThat(listTable(layout))
                .containsExactlyInAnyOrder(
                        "_manifests/batch-1.json",
                        files.get(0).path(),
                        files.get(1).path(),
                        files.get(2).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void theSameBatchTwiceChangesNothing(String kind) throws Exception {
        String root = root(kind);
        LoadBatch batch = new LoadBatch(
                PIPELINE,
                ITEMS,
                "twice",
                List.of(
                        stage(kind, ITEMS_V1, List.of(Row.of(Op.INSERT, 10, 1, "one"))),
                        stage(kind, ITEMS_V1, List.of(Row.of(Op.INSERT, 11, 2, "two")))));
        S3Layout layout = new S3Layout(root);
        S3Destination destination = destination(root);
        assertThat(destination.load(batch)).isEqualTo(new LoadResult(2, 2, false));
        List<String> objects = listTable(layout);
        byte[] manifest = read(layout.manifest(ITEMS, "twice"));

        assertThat(destination.load(batch)).isEqualTo(LoadResult.alreadyLoaded());
        // A restarted job: a new destination, a later clock; still nothing written.
        S3Destination restarted =
                new S3Destination(root, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC), (i, target) -> {
                    throw new AssertionError("copied " + target + " again");
                });
        assertThat(restarted.load(batch)).isEqualTo(LoadResult.alreadyLoaded());

        assertThat(listTable(layout)).isEqualTo(objects).hasSize(3);
        assertThat(read(layout.manifest(ITEMS, "twice"))).isEqualTo(manifest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void aLoadInterruptedBeforeTheManifestEndsConsistentWhenDeliveredAgain(String kind) throws Exception {
        String root = root(kind);
        List<StagedFile> staged = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            staged.add(stage(
                    kind,
                    ITEMS_V1,
                    List.of(Row.of(Op.INSERT, 100 + f, f, "file " + f), Row.of(Op.UPDATE, 200 + f, f, "again " + f))));
        }
        LoadBatch batch = new LoadBatch(PIPELINE, ITEMS, "crash", staged);
        S3Layout layout = new S3Layout(root);

        // The process dies after two of the four files are in place.
        S3Destination dying = new S3Destination(root, Clock.systemUTC(), (index, target) -> {
            if (index == 1) {
                throw new IOException("simulated crash after " + target);
            }
        });
        assertThatThrownBy(() -> dying.load(batch))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("simulated crash");
        assertThat(exists(layout.manifest(ITEMS, "crash"))).isFalse();
        assertThat(listTable(layout)).hasSize(2).noneMatch(name -> name.startsWith(S3Layout.MANIFESTS));
        if (kind.equals("file")) {
            // On a local disk a write can also be torn: a truncated copy under the third file's name.
            List<StagedFile> sorted = staged.stream()
                    .sorted(java.util.Comparator.comparing(StagedFile::path))
                    .toList();
            Path torn = new Path(
                    layout.tableDir(ITEMS),
                    S3Layout.dataFileName("crash", sorted.get(2).path()));
            write(torn, Arrays.copyOf(read(new Path(sorted.get(2).path())), 20));
        }

        // The committer delivers the batch again after the restart.
        LoadResult result = destination(root).load(batch);

        assertThat(result).isEqualTo(new LoadResult(8, 8, false));
        S3Manifest manifest = readManifest(layout.manifest(ITEMS, "crash"));
        List<String> listed =
                manifest.files().stream().map(S3Manifest.FileEntry::path).toList();
        assertThat(listed).doesNotHaveDuplicates().hasSize(4);
        List<String> rows = new ArrayList<>();
        for (S3Manifest.FileEntry f : manifest.files()) {
            Path file = new Path(layout.tableDir(ITEMS), f.path());
            assertThat(exists(file)).as(f.path()).isTrue();
            assertThat(status(file).getLen()).isEqualTo(f.sizeBytes());
            rows.addAll(rows(new StagedFile(file.toUri().toString(), f.sizeBytes())));
        }
        assertThat(rows).hasSize(8).doesNotHaveDuplicates();
        List<String> everything = new ArrayList<>(listed);
        everything.add("_manifests/crash.json");
        assertThat(listTable(layout)).containsExactlyInAnyOrderElementsOf(everything);
        assertThat(destination(root).load(batch)).isEqualTo(LoadResult.alreadyLoaded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void createTablesWritesEachSchemaOnceAndEscapesNames(String kind) throws Exception {
        String root = root(kind);
        TableId odd = new TableId("hidden", "Odd Table/ü.x");
        TableSchema oddSchema = new TableSchema(odd, List.of(Column.of("select", ColumnType.STRING)), List.of());
        S3Destination destination = destination(root);

        destination.createTables(List.of(ITEMS_V1, oddSchema));
        destination.createTables(List.of(ITEMS_V1, oddSchema)); // again: nothing changes

        S3Layout layout = new S3Layout(root);
        assertThat(layout.tableDir(odd).toUri().toString()).endsWith("/hidden/Odd~20Table~2F~C3~BC~2Ex");
        Schema written = new Schema.Parser()
                .parse(new String(read(layout.schemaFile(odd, oddSchema.version())), StandardCharsets.UTF_8));
        assertThat(AvroSchemas.fromAvro(written).id()).isEqualTo(odd);
        assertThat(listTable(layout)).containsExactly("_schemas/" + ITEMS_V1.version() + ".avsc");

        // A keyless table's batch goes to the escaped folder too.
        StagedFile file = StagedFiles.write(
                Files.createDirectories(local.resolve("odd")), oddSchema, List.of(Row.of(Op.READ, 0, "x")));
        assertThat(destination.load(new LoadBatch(PIPELINE, odd, "b", List.of(file))))
                .isEqualTo(new LoadResult(1, 1, false));
        assertThat(readManifest(layout.manifest(odd, "b")).files()).hasSize(1);
    }

    @Test
    void anEmptyStagedFileIsSkippedAndAFileOfAnotherTableIsRefused() throws Exception {
        String root = root("file");
        java.nio.file.Path empty = Files.createFile(local.resolve("part-empty.avro"));
        StagedFile one = StagedFiles.write(
                Files.createDirectories(local.resolve("staged")), ITEMS_V1, List.of(Row.of(Op.READ, 0, 1, "one")));
        S3Destination destination = destination(root);

        LoadResult result = destination.load(new LoadBatch(
                PIPELINE, ITEMS, "e", List.of(new StagedFile(empty.toUri().toString(), 0), one)));

        assertThat(result).isEqualTo(new LoadResult(1, 1, false));
        assertThat(readManifest(new S3Layout(root).manifest(ITEMS, "e")).files())
                .hasSize(1);

        TableId other = new TableId("shop", "other");
        assertThatThrownBy(() -> destination.load(new LoadBatch(PIPELINE, other, "x", List.of(one))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("holds rows of shop.items, not of shop.other");
        assertThat(exists(new S3Layout(root).tableDir(other)))
                .as("nothing written for a refused file")
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void aStagedFileShorterThanCommittedFailsTheLoadAndLeavesNothing(String kind) throws Exception {
        String root = root(kind);
        StagedFile whole = stage(kind, ITEMS_V1, List.of(Row.of(Op.READ, 0, 1, "one")));
        // As if the file had been cut at an Avro block boundary: valid Avro, but not what was committed.
        StagedFile claimed = new StagedFile(whole.path(), whole.sizeBytes() + 100);

        assertThatThrownBy(() -> destination(root).load(new LoadBatch(PIPELINE, ITEMS, "short", List.of(claimed))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining(
                        "bytes of staged file " + whole.path() + ", which was committed with " + claimed.sizeBytes());
        assertThat(listTable(new S3Layout(root))).isEmpty();
    }

    @Test
    void aBatchWithoutFilesGetsAnEmptyManifest() throws Exception {
        String root = root("s3");
        assertThat(destination(root).load(new LoadBatch(PIPELINE, ITEMS, "none", List.of())))
                .isEqualTo(new LoadResult(0, 0, false));
        S3Manifest manifest = readManifest(new S3Layout(root).manifest(ITEMS, "none"));
        assertThat(manifest.files()).isEmpty();
        assertThat(manifest.minPosition()).isNull();
        assertThat(s3.keys("lake", root.substring("s3://lake/".length()) + "/"))
                .containsExactly(root.substring("s3://lake/".length()) + "/shop/items/_manifests/none.json");
    }

    /**
     * A DELETE loaded before the snapshot row of its key (the change log read during the snapshot):
     * the history keeps both records, so a reader that keeps per key the record of the highest
     * position and drops DELETEs (the README's rule) finds the key deleted. The tombstone flags
     * change nothing here, and the batch that completes the snapshot removes nothing from the history.
     */
    @Test
    void aDeleteBeforeTheSnapshotRowOfItsKeyIsTheKeysLatestRecord() throws Exception {
        String root = root("file");
        S3Destination destination = destination(root);
        assertThat(destination.supportsTombstones()).isTrue();
        destination.load(new LoadBatch(
                        PIPELINE,
                        ITEMS,
                        "log-1",
                        List.of(stage("file", ITEMS_V1, List.of(Row.of(Op.DELETE, 50, 1, null)))))
                .withTombstones(true, false));
        destination.load(new LoadBatch(
                        PIPELINE,
                        ITEMS,
                        "snapshot-1",
                        List.of(stage(
                                "file",
                                ITEMS_V1,
                                List.of(Row.of(Op.READ, 10, 1, "one"), Row.of(Op.READ, 10, 2, "two")))))
                .withTombstones(true, false));
        destination.load(new LoadBatch(PIPELINE, ITEMS, "complete", List.of()).withTombstones(true, true));

        S3Layout layout = new S3Layout(root);
        List<String> history = new ArrayList<>();
        java.util.Map<Object, String[]> latest = new java.util.TreeMap<>();
        for (String batch : List.of("log-1", "snapshot-1", "complete")) {
            for (S3Manifest.FileEntry file :
                    readManifest(layout.manifest(ITEMS, batch)).files()) {
                try (StagedFileReader reader = StagedFileReader.open(new StagedFile(file.uri(), file.sizeBytes()))) {
                    while (reader.next()) {
                        String[] record = {reader.opName(), reader.position().toString(), (String) reader.value(1)};
                        history.add(reader.value(0) + " " + String.join(" ", Arrays.asList(record)));
                        String[] seen = latest.get(reader.value(0));
                        if (seen == null || new BigInteger(seen[1]).compareTo(new BigInteger(record[1])) < 0) {
                            latest.put(reader.value(0), record);
                        }
                    }
                }
            }
        }
        assertThat(history).containsExactly("1 DELETE 50 null", "1 READ 10 one", "2 READ 10 two");
        assertThat(latest.entrySet().stream()
                        .filter(e -> !e.getValue()[0].equals("DELETE"))
                        .map(e -> e.getKey() + " " + e.getValue()[2]))
                .containsExactly("2 two");
    }

    private static S3Manifest.FileEntry entry(List<S3Manifest.FileEntry> files, StagedFile source) {
        String name = S3Layout.dataFileName("batch-1", source.path());
        return files.stream().filter(f -> f.path().equals(name)).findFirst().orElseThrow();
    }

    /** The rows of a data file as {@code OP POSITION [values]}. */
    private static List<String> rows(StagedFile file) throws IOException {
        List<String> out = new ArrayList<>();
        try (StagedFileReader reader = StagedFileReader.open(file)) {
            while (reader.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < reader.schema().columns().size(); i++) {
                    values.add(reader.value(i));
                }
                out.add(reader.opName() + " " + reader.position() + " " + values);
            }
        }
        return out;
    }

    private static S3Manifest readManifest(Path path) throws IOException {
        try (InputStream in = path.getFileSystem().open(path)) {
            return S3Manifest.read(in);
        }
    }

    /** Every file under the table's folder, relative to it (temporary files included). */
    private static List<String> listTable(S3Layout layout) throws IOException {
        Path dir = layout.tableDir(ITEMS);
        List<String> out = new ArrayList<>();
        list(dir, "", out);
        return out;
    }

    private static void list(Path dir, String prefix, List<String> out) throws IOException {
        FileSystem fs = dir.getFileSystem();
        if (!fs.exists(dir)) {
            return;
        }
        for (FileStatus status : fs.listStatus(dir)) {
            String name = prefix + status.getPath().getName();
            if (status.isDir()) {
                list(status.getPath(), name + "/", out);
            } else {
                out.add(name);
            }
        }
    }

    private static boolean exists(Path path) throws IOException {
        return path.getFileSystem().exists(path);
    }

    private static FileStatus status(Path path) throws IOException {
        return path.getFileSystem().getFileStatus(path);
    }

    private static byte[] read(Path path) throws IOException {
        try (InputStream in = path.getFileSystem().open(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private static void write(Path path, byte[] bytes) throws IOException {
        try (OutputStream out = path.getFileSystem().create(path, WriteMode.OVERWRITE)) {
            out.write(bytes);
        }
    }
}
