package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.s3.S3Destination;
import io.eltcdc.destination.s3.S3Layout;
import io.eltcdc.destination.s3.S3Manifest;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.sink.StagingLoadSink;
import io.eltcdc.source.snapshot.SnapshotSource;
import io.eltcdc.staging.StagingFileSink;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL → staging on S3 (S3Proxy) → the S3 destination on S3 (S3Proxy), snapshot-only runs on
 * one shared mini-cluster. The manifests and the Avro files they list are read back through the
 * S3 API and compared row by row with the source; a second run dies in the middle of a batch (some
 * files in place, no manifest yet), Flink restarts it and redelivers the batch, and the result is
 * still every row exactly once, no manifest pointing at a missing file, no file listed twice.
 */
class S3DestinationEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final List<TableId> TABLES = List.of(
            new TableId("public", "orders"), new TableId("Sales Dept", "Odd Name"), new TableId("public", "keyless"));
    private static final TableId EMPTY = new TableId("public", "empty_table");

    /** Whether the crashing destination has crashed yet (the factory runs in this JVM's mini-cluster). */
    private static final AtomicBoolean CRASHED = new AtomicBoolean();

    private static final AtomicReference<String> CRASHED_BATCH = new AtomicReference<>();

    @TempDir
    static java.nio.file.Path tmp;

    static String sourceUrl;
    static S3ProxyServer s3;

    @BeforeAll
    static void setUp() throws Exception {
        sourceUrl = TestPostgres.createDatabase("s3dest_source");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("""
                CREATE TABLE public.orders (id int PRIMARY KEY, customer text, amount numeric(12,2),
                  placed timestamptz, paid boolean, day date, ref uuid, blob bytea, ratio double precision,
                  big bigint, note text)""");
            s.execute("""
                INSERT INTO public.orders
                SELECT i, 'customer ' || (i % 97) || E' ünï \\t', (i * 1.25)::numeric(12,2),
                  timestamptz '2024-03-31 01:59:59.999999+01' + i * interval '37 minutes 0.000003 seconds',
                  i % 3 = 0, date '1969-12-25' + i, md5(i::text)::uuid, decode(lpad(to_hex(i), 8, '0'), 'hex'),
                  i / 7.0, i::bigint * 3000000007, repeat('x', i % 50)
                FROM generate_series(1, 3000) i""");
            s.execute("INSERT INTO public.orders (id) VALUES (0)"); // every other column NULL
            s.execute("CREATE SCHEMA \"Sales Dept\"");
            s.execute(
                    "CREATE TABLE \"Sales Dept\".\"Odd Name\" (\"Key\" text PRIMARY KEY, \"select\" double precision)");
            s.execute(
                    "INSERT INTO \"Sales Dept\".\"Odd Name\" SELECT 'k/' || i || ' x', i / 3.0 FROM generate_series(1, 400) i");
            s.execute("CREATE TABLE public.keyless (a int, b text)");
            s.execute("INSERT INTO public.keyless SELECT i % 17, 'k' || (i % 5) FROM generate_series(1, 333) i");
            s.execute("CREATE TABLE public.empty_table (id int PRIMARY KEY, v text)");
        }
        s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
        s3.createBucket("staging");
        s3.createBucket("lake");
        StagingFileSystems.initialize(s3.flinkConfiguration());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void snapshotLandsInS3AsManifestsAndAvroFiles() throws Exception {
        PipelineConfig config = config("s3dest-e2e");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forPipeline(config));
        PipelineTopology.build(env, config, Preflight.check(config, System.out), RunMode.SNAPSHOT_ONLY);
        env.execute(config.pipeline().name());

        S3Layout layout = new S3Layout("s3://lake/s3dest-e2e");
        assertEveryRowOnce(layout);
        for (TableId table : TABLES) {
            for (S3Manifest manifest : manifests(layout, table)) {
                assertThat(manifest.pipeline()).isEqualTo("s3dest-e2e");
                assertThat(manifest.table()).isEqualTo(table);
                assertThat(manifest.format()).isEqualTo("avro");
                assertThat(manifest.rowCount()).isPositive();
                assertThat(manifest.schemasByVersion()).hasSize(1);
            }
        }
        // A table without rows has no manifest, but its schema file.
        assertThat(manifests(layout, EMPTY)).isEmpty();
        assertThat(s3.countObjects("lake", "s3dest-e2e/public/empty_table/_schemas/"))
                .isEqualTo(1);
        assertThat(s3.countObjects("lake", "s3dest-e2e/Sales~20Dept/Odd~20Name/_manifests/"))
                .isPositive();
    }

    @Test
    void aRestartInTheMiddleOfABatchLeavesEveryRowOnce() throws Exception {
        PipelineConfig config = config("s3dest-restart");
        String root = "s3://lake/s3dest-restart";
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forPipeline(config));
        List<TableSchema> tables = Preflight.check(config, System.out);
        env.fromSource(
                        new SnapshotSource(PipelineTopology.snapshotConfig(config.source())),
                        WatermarkStrategy.noWatermarks(),
                        "Snapshot",
                        ChangeRecordTypeInfo.INSTANCE)
                .uid(PipelineTopology.SNAPSHOT_SOURCE_UID)
                .sinkTo(StagingLoadSink.builder(
                                StagingFileSink.build(PipelineTopology.stagingOptions(config.staging())),
                                crashingOnce(root),
                                config.pipeline().name())
                        .tables(tables)
                        .build())
                .uid(PipelineTopology.SINK_UID);
        env.execute(config.pipeline().name());

        assertThat(CRASHED).as("the run died in the middle of a batch").isTrue();
        S3Layout layout = new S3Layout(root);
        String batch = CRASHED_BATCH.get();
        List<S3Manifest> ofOrders = manifests(layout, TABLES.get(0));
        // Redelivered as the same batch (restored from the checkpoint that held it), or, when Flink
        // restored an earlier checkpoint, re-staged as other batches: then the interrupted batch's
        // copies stay unlisted leftovers, which assertEveryRowOnce allows for batches without manifest.
        ofOrders.stream()
                .filter(m -> m.batchId().equals(batch))
                .findFirst()
                .ifPresent(m -> assertThat(m.files()).hasSizeGreaterThanOrEqualTo(2));
        assertEveryRowOnce(layout);
    }

    /**
     * Every manifest lists existing files, each once across all manifests; every data file in a
     * table's folder is listed; the rows of the listed files are the source's rows, each once.
     */
    private static void assertEveryRowOnce(S3Layout layout) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl)) {
            for (TableId table : TABLES) {
                List<String> listed = new ArrayList<>();
                List<String> rows = new ArrayList<>();
                for (S3Manifest manifest : manifests(layout, table)) {
                    long manifestRows = 0;
                    for (S3Manifest.FileEntry f : manifest.files()) {
                        Path file = new Path(layout.tableDir(table), f.path());
                        FileSystem fs = file.getFileSystem();
                        assertThat(fs.exists(file))
                                .as("%s listed in %s", f.path(), manifest.batchId())
                                .isTrue();
                        assertThat(fs.getFileStatus(file).getLen()).isEqualTo(f.sizeBytes());
                        List<String> fileRows =
                                avroRows(new StagedFile(file.toUri().toString(), f.sizeBytes()));
                        assertThat(fileRows).as(f.path()).hasSize((int) f.rowCount());
                        rows.addAll(fileRows);
                        listed.add(f.path());
                        manifestRows += f.rowCount();
                    }
                    assertThat(manifest.rowCount()).isEqualTo(manifestRows);
                }
                assertThat(listed)
                        .as("files listed in the manifests of %s", table)
                        .doesNotHaveDuplicates();
                List<String> manifested = manifests(layout, table).stream()
                        .map(S3Manifest::batchId)
                        .toList();
                assertThat(dataFiles(layout, table))
                        .as("data files of %s", table)
                        .containsAll(listed)
                        .allSatisfy(f -> assertThat(listed.contains(f) || !manifested.contains(batchOf(f)))
                                .as("%s: an unlisted file may only be left by a batch that has no manifest", f)
                                .isTrue());
                rows.sort(null);
                assertThat(rows).as("rows of %s", table).containsExactlyElementsOf(sourceRows(src, table));
            }
        }
    }

    /** The batch id a data file name starts with ({@code <batchId>-<hash>.avro}). */
    private static String batchOf(String fileName) {
        return fileName.substring(0, fileName.lastIndexOf('-'));
    }

    /** The manifests of a table, read through the S3 API. */
    private static List<S3Manifest> manifests(S3Layout layout, TableId table) throws IOException {
        Path dir = layout.manifestDir(table);
        FileSystem fs = dir.getFileSystem();
        List<S3Manifest> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        for (FileStatus status : fs.listStatus(dir)) {
            if (status.getPath().getName().endsWith(S3Layout.MANIFEST_SUFFIX)) {
                try (InputStream in = fs.open(status.getPath())) {
                    out.add(S3Manifest.read(in));
                }
            }
        }
        return out;
    }

    /** Names of the data files directly in the table's folder. */
    private static List<String> dataFiles(S3Layout layout, TableId table) throws IOException {
        Path dir = layout.tableDir(table);
        List<String> out = new ArrayList<>();
        for (FileStatus status : dir.getFileSystem().listStatus(dir)) {
            if (!status.isDir()) {
                out.add(status.getPath().getName());
            }
        }
        return out;
    }

    /** A staged file's rows as text: {@code _elt_op} and the values, canonical as {@link #canonical}. */
    private static List<String> avroRows(StagedFile file) throws IOException {
        List<String> out = new ArrayList<>();
        try (StagedFileReader reader = StagedFileReader.open(file)) {
            while (reader.next()) {
                assertThat(reader.opName()).isEqualTo("READ");
                StringBuilder row = new StringBuilder();
                for (int i = 0; i < reader.schema().columns().size(); i++) {
                    row.append(i == 0 ? "" : " | ").append(canonical(reader.value(i)));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static List<String> sourceRows(Connection c, TableId table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + q(table.schema()) + "." + q(table.table()))) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object v = switch (meta.getColumnTypeName(i)) {
                        case "timestamptz" -> rs.getObject(i, OffsetDateTime.class);
                        case "date" -> rs.getObject(i, java.time.LocalDate.class);
                        default -> rs.getObject(i);
                    };
                    row.append(i == 1 ? "" : " | ").append(canonical(v));
                }
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }

    /** One text per value, the same for the source's JDBC value and the staged (pipeline) value. */
    private static String canonical(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return Long.toString(((Number) v).longValue());
        }
        return v.toString();
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static PipelineConfig config(String name) throws Exception {
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 500ms }
                source:
                  type: postgres
                  host: %s
                  port: %d
                  database: %s
                  username: %s
                  password: "%s"
                  tables: [public.orders, "Sales Dept.Odd Name", public.keyless, public.empty_table]
                  chunk-size: 200
                staging:
                  path: "s3://staging/%s"
                  roll-size: 16kb
                  inactivity-interval: 1s
                  roll-interval: 5s
                  s3: { endpoint: "%s", access-key: %s, secret-key: %s, path-style-access: true }
                destination: { type: s3, path: "s3://lake/%s" }
                """,
                        name,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        name,
                        s3.endpoint(),
                        S3ProxyServer.ACCESS_KEY,
                        S3ProxyServer.SECRET_KEY,
                        name),
                System::getenv);
    }

    /**
     * The S3 destination, except that the first batch of two or more files dies half-way: the first
     * half of its files are in place under their final names, the manifest is not written, and the
     * load fails (as the S3 destination leaves things when its process dies there; the load module's
     * S3DestinationTest interrupts the real copy loop). The job restarts from its last checkpoint and
     * the committer delivers the batch again.
     */
    private static DestinationFactory crashingOnce(String root) {
        return () -> new Destination() {
            private final S3Destination s3Destination = new S3Destination(root);

            @Override
            public void createTables(List<TableSchema> tables) throws Exception {
                s3Destination.createTables(tables);
            }

            @Override
            public LoadResult load(LoadBatch batch) throws Exception {
                if (batch.files().size() >= 2 && CRASHED.compareAndSet(false, true)) {
                    CRASHED_BATCH.set(batch.batchId());
                    List<StagedFile> files = new ArrayList<>(batch.files());
                    files.sort(Comparator.comparing(StagedFile::path));
                    Path dir = s3Destination.layout().tableDir(batch.table());
                    for (StagedFile file : files.subList(0, files.size() / 2)) {
                        copy(new Path(file.path()), new Path(dir, S3Layout.dataFileName(batch.batchId(), file.path())));
                    }
                    throw new IOException("simulated crash in the middle of batch " + batch.batchId());
                }
                return s3Destination.load(batch);
            }

            @Override
            public void close() {
                s3Destination.close();
            }
        };
    }

    private static void copy(Path from, Path to) throws IOException {
        try (InputStream in = from.getFileSystem().open(from);
                OutputStream out = to.getFileSystem().create(to, FileSystem.WriteMode.OVERWRITE)) {
            in.transferTo(out);
        }
    }
}
