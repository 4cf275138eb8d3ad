package io.eltcdc.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.SnapshotGate;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * elt-cdc on a real Flink 1.20.1 session cluster, driven the way a user drives it: the cluster is
 * started with {@code scripts/local-cluster.sh} (a JobManager and a TaskManager, each its own JVM,
 * the S3 file system as a plugin pointed at an in-process S3Proxy), pipelines are submitted,
 * stopped with a savepoint and resumed with {@code scripts/submit.sh}, and the job states and
 * per-table metrics are read through Flink's REST API. The cluster is stopped at the end, failure
 * or not, and no process of it may be left.
 */
class LocalClusterIT {
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final String BUCKET = "elt-cdc";
    /** The pipelines name their database user through this variable: resolved in the JobManager. */
    private static final String USER_VARIABLE = "ELT_CLUSTER_IT_PG_USER";

    @TempDir
    static Path tmp;

    private static S3ProxyServer s3;
    private static LocalCluster cluster;
    private static FlinkRest rest;
    private static long startedAt;

    @BeforeAll
    static void startCluster() throws Exception {
        startedAt = System.nanoTime();
        s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
        s3.createBucket(BUCKET);
        cluster = new LocalCluster(
                tmp.resolve("cluster"),
                Map.of(USER_VARIABLE, TestPostgres.parts().user()));
        Map<String, String> conf = new LinkedHashMap<>();
        s3.flinkConfiguration().toMap().forEach(conf::put);
        // config.yaml restarts a failing job forever (with growing delays): a broken build should
        // fail this test in seconds instead.
        conf.put("restart-strategy.type", "fixed-delay");
        conf.put("restart-strategy.fixed-delay.attempts", "2");
        conf.put("restart-strategy.fixed-delay.delay", "1 s");
        LocalCluster.Result started = cluster.start(conf);
        assertThat(started.exit()).as(started.output()).isZero();
        rest = new FlinkRest(cluster.restUrl());
        assertThat(rest.get("/overview").path("taskmanagers").asInt()).isEqualTo(1);
        System.out.printf("cluster started in %.1f s%n", (System.nanoTime() - startedAt) / 1e9);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (cluster != null) {
                List<Long> pids = cluster.pids();
                LocalCluster.Result stopped = cluster.stop();
                assertThat(stopped.exit()).as(stopped.output()).isZero();
                assertThat(pids).as("the JobManager and TaskManager pids").hasSize(2);
                for (long pid : pids) {
                    assertThat(LocalCluster.running(pid))
                            .as("process %d after stop", pid)
                            .isFalse();
                }
                LocalCluster.Result status = cluster.status();
                assertThat(status.exit()).as(status.output()).isEqualTo(3);
                assertThat(cluster.restPortTaken())
                        .as("REST port free after stop")
                        .isFalse();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
            System.out.printf(
                    "cluster test: %.1f s in all (start, tests, stop)%n", (System.nanoTime() - startedAt) / 1e9);
        }
    }

    private long testStartedAt;

    @BeforeEach
    void startClock() {
        testStartedAt = System.nanoTime();
    }

    @AfterEach
    void reportTime(TestInfo test) {
        System.out.printf("%s: %.1f s%n", test.getDisplayName(), (System.nanoTime() - testStartedAt) / 1e9);
    }

    @Test
    void snapshotOnlyPipelineFinishesWithDestinationEqualToSource() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("cluster_snapshot_src");
        String destUrl = TestPostgres.createDatabase("cluster_snapshot_dst");
        Map<String, String> digests = new LinkedHashMap<>();
        digests.put(
                "public.orders",
                "SELECT count(*), count(DISTINCT id), md5(string_agg(id || ':' || customer || ':' || amount"
                        + " || ':' || extract(epoch from placed_at) || ':' || coalesce(note, '~'), ',' ORDER BY id)) FROM public.orders");
        digests.put(
                "public.tags",
                "SELECT count(*), count(DISTINCT name), md5(string_agg(name || ':' || weight, ',' ORDER BY name))"
                        + " FROM public.tags");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2),"
                    + " placed_at timestamptz, note text)");
            s.execute("INSERT INTO public.orders SELECT i, 'customer-' || (i % 997), i * 0.37,"
                    + " timestamptz '2024-01-01 00:00:00+00' + i * interval '17 seconds',"
                    + " CASE WHEN i % 5 = 0 THEN NULL ELSE repeat('x', i % 40) END FROM generate_series(1, 120000) i");
            // A text key: chunk boundaries are read from the table.
            s.execute("CREATE TABLE public.tags (name text PRIMARY KEY, weight int)");
            s.execute("INSERT INTO public.tags SELECT 'tag-' || md5(i::text), i FROM generate_series(1, 3000) i");
            s.execute("ANALYZE");
        }
        Path pipeline =
                writePipeline("cluster-snapshot", sourceUrl, destUrl, "[public.orders, public.tags]", 15000, "2s");

        LocalCluster.Result submitted = cluster.submit("--pipeline", pipeline.toString(), "--snapshot-only", "--wait");
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        String job = submitted.value("job").orElseThrow();
        assertThat(rest.state(job)).as("job state through REST").isEqualTo("FINISHED");
        assertThat(rest.get("/jobs/" + job).path("name").asText()).isEqualTo("elt-cdc cluster-snapshot");

        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            for (var table : digests.entrySet()) {
                assertThat(row(dst, table.getValue())).as(table.getKey()).isEqualTo(row(src, table.getValue()));
            }
        }
        assertThat(s3.countObjects(BUCKET, "cluster-snapshot/"))
                .as("files staged in S3 through the plugin")
                .isPositive();
    }

    @Test
    void perTableMetricsThroughRestMatchTheRowsSynced() throws Exception {
        // A continuous pipeline: it keeps running after the initial sync, so its metrics stay in the
        // REST API (Flink drops a finished job's task metrics) and settle at their final values.
        String sourceUrl = TestPostgres.createDatabase("cluster_metrics_src");
        String destUrl = TestPostgres.createDatabase("cluster_metrics_dst");
        Map<String, Long> rows = Map.of("public_items", 40_000L, "public_notes", 700L);
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.items (id int PRIMARY KEY, label text)");
            s.execute("INSERT INTO public.items SELECT i, 'item ' || i FROM generate_series(1, 40000) i");
            s.execute("CREATE TABLE public.notes (id bigint PRIMARY KEY, body text)");
            s.execute("INSERT INTO public.notes SELECT i, repeat('n', i % 50) FROM generate_series(1, 700) i");
            s.execute("ANALYZE");
        }
        Path pipeline =
                writePipeline("cluster-metrics", sourceUrl, destUrl, "[public.items, public.notes]", 10000, "1s");
        LocalCluster.Result submitted = cluster.submit("--pipeline", pipeline.toString());
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        String job = submitted.value("job").orElseThrow();
        try {
            AtomicReference<Map<String, Map<String, Long>>> seen = new AtomicReference<>();
            await(
                    () -> "per-table metrics equal to the source's row counts " + rows + "; last seen: " + seen.get(),
                    () -> {
                        assertThat(rest.state(job)).as("job state").isEqualTo("RUNNING");
                        Map<String, Map<String, Long>> metrics = rest.tableMetrics(job);
                        seen.set(metrics);
                        return rows.entrySet().stream().allMatch(t -> {
                            Map<String, Long> m = metrics.getOrDefault(t.getKey(), Map.of());
                            return t.getValue().equals(m.get("rowsRead"))
                                    && t.getValue().equals(m.get("rowsLoaded"))
                                    && m.getOrDefault("chunksTotal", -1L) > 0
                                    && m.get("chunksTotal").equals(m.get("chunksFinished"));
                        });
                    });
            Map<String, Map<String, Long>> metrics = seen.get();
            for (String table : rows.keySet()) {
                assertThat(metrics.get(table))
                        .as(table)
                        .containsKeys("rowCountEstimate", "filesStaged", "bytesStaged", "lastLoadedCheckpoint");
                assertThat(metrics.get(table).get("filesStaged"))
                        .as(table + " filesStaged")
                        .isPositive();
                assertThat(metrics.get(table).get("bytesStaged"))
                        .as(table + " bytesStaged")
                        .isPositive();
                assertThat(metrics.get(table).get("lastLoadedCheckpoint"))
                        .as(table + " lastLoadedCheckpoint")
                        .isPositive();
            }
            try (Connection dst = DriverManager.getConnection(destUrl)) {
                assertThat(row(dst, "SELECT count(*) FROM public.items")).containsExactly("40000");
                assertThat(row(dst, "SELECT count(*) FROM public.notes")).containsExactly("700");
            }
            // The change log's gauges: lag on the readers, WAL held by the slot in the coordinator.
            String source =
                    rest.get("/jobs/" + job).path("vertices").get(0).path("id").asText();
            assertThat(rest.metricNames(job, source, false)).anyMatch(n -> n.endsWith(".currentFetchEventTimeLag"));
            assertThat(rest.metricNames(job, source, true)).anyMatch(n -> n.endsWith(".walRetainedBytes"));
            // The Prometheus reporter of flink-conf/config.yaml serves the same numbers.
            assertThat(prometheusLines(job))
                    .anyMatch(l -> l.startsWith("flink_taskmanager_job_task_operator_table_rowsLoaded{")
                            && l.contains("table=\"public_items\"")
                            && l.endsWith(" 40000.0"));
        } finally {
            rest.cancel(job);
            await("job " + job + " cancelled", () -> rest.state(job).equals("CANCELED"));
            dropSlots(sourceUrl);
        }
    }

    @Test
    void stoppedWithSavepointMidSnapshotAndResumedFromIt() throws Exception {
        int total = 600_000;
        int gatedFrom = total / 2; // a chunk boundary: chunks hold 10,000 keys of 1..600,000
        String sourceUrl = TestPostgres.createDatabase("cluster_savepoint_src");
        String destUrl = TestPostgres.createDatabase("cluster_savepoint_dst");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE public.events (id bigint PRIMARY KEY, kind text, amount numeric(12,2), at timestamptz)");
            s.execute("INSERT INTO public.events SELECT i, 'kind-' || (i % 13), i * 0.25,"
                    + " timestamptz '2020-01-01 00:00:00+00' + i * interval '1 second' FROM generate_series(1, " + total
                    + ") i");
            s.execute("ANALYZE public.events");
            gateReadsAbove(s, "public.events", gatedFrom);
        }
        Path pipeline =
                writePipeline("cluster-savepoint", sourceUrl, GATED_READER, destUrl, "[public.events]", 10000, "1s");
        Path savepoints = tmp.resolve("savepoints");

        long loadedAtStop;
        try (Connection gate = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            // The stop must land mid-snapshot whatever the machine's speed: while the gate is shut,
            // the readers load the lower half of the keys and then wait on the first row above it.
            SnapshotGate.close(gate);
            LocalCluster.Result first = cluster.submit("--pipeline", pipeline.toString(), "--snapshot-only");
            assertThat(first.exit()).as(first.output()).isZero();
            String firstJob = first.value("job").orElseThrow();
            AtomicReference<String> seen = new AtomicReference<>("nothing yet");
            await(() -> "the lower half loaded and both readers waiting at the gate (seen: " + seen + ")", () -> {
                assertThat(rest.state(firstJob))
                        .as("first job's state: it must still run")
                        .isEqualTo("RUNNING");
                long waiting = SnapshotGate.readersWaiting(gate);
                long loaded = countIfExists(dst, "public.events");
                seen.set(loaded + " rows loaded, " + waiting + " reader(s) waiting");
                return waiting == 2 && loaded == gatedFrom;
            });
            CompletableFuture<LocalCluster.Result> stopping = CompletableFuture.supplyAsync(() -> {
                try {
                    return cluster.submit("--stop-with-savepoint", firstJob, "--savepoint-dir", savepoints.toString());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            await("the savepoint of job " + firstJob, () -> stopping.isDone() || savepointTaken(firstJob));
            SnapshotGate.open(gate); // the readers' queries return; the stopped job then ends
            LocalCluster.Result stopped = stopping.get(5, TimeUnit.MINUTES);
            assertThat(stopped.exit()).as(stopped.output()).isZero();
            String savepoint = stopped.value("savepoint").orElseThrow();
            assertThat(rest.state(firstJob)).isEqualTo("FINISHED");
            loadedAtStop = countIfExists(dst, "public.events");
            assertThat(loadedAtStop)
                    .as("rows loaded when the savepoint stopped the job: the lower half, mid-snapshot")
                    .isEqualTo(gatedFrom);
            System.out.printf("stopped with a savepoint after %,d of %,d rows were loaded%n", loadedAtStop, total);

            LocalCluster.Result resumed = cluster.submit(
                    "--pipeline", pipeline.toString(), "--snapshot-only", "--from-savepoint", savepoint, "--wait");
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            String secondJob = resumed.value("job").orElseThrow();
            assertThat(rest.get("/jobs/" + secondJob + "/checkpoints")
                            .path("latest")
                            .path("restored")
                            .path("external_path")
                            .asText())
                    .as("the resumed job restored the savepoint")
                    .isEqualTo(savepoint);
        }

        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            String digest =
                    "SELECT count(*), count(DISTINCT id), md5(string_agg(id || ':' || kind || ':' || amount || ':' "
                            + "|| extract(epoch from at), ',' ORDER BY id)) FROM public.events";
            assertThat(row(dst, digest)).isEqualTo(row(src, digest));
            assertThat(row(dst, "SELECT count(*) - count(DISTINCT id) FROM public.events"))
                    .as("duplicate keys")
                    .containsExactly("0");
            // Resumed where the savepoint was: every row staged once over both jobs, none read again.
            assertThat(row(dst, "SELECT sum(rows_staged) FROM elt_cdc.loads WHERE pipeline = 'cluster-savepoint'"))
                    .containsExactly(String.valueOf(total));
        }
    }

    @Test
    void theClusterJarFitsTheUploadLimitAndLeavesFlinkAndTheWarehousesOut() throws Exception {
        Path jar = cluster.jar();
        long size = Files.size(jar);
        System.out.printf("%s: %,d bytes (%.1f MiB)%n", jar.getFileName(), size, size / 1048576.0);
        assertThat(size)
                .as("%s: Flink's default REST upload limit (rest.server.max-content-length) is 100 MiB", jar)
                .isLessThanOrEqualTo(100L * 1024 * 1024);

        // Nothing the cluster provides: lib/ here holds what a distribution's lib/ has for the job.
        Set<String> classes = ClusterJars.classes(jar);
        Map<String, String> lib = ClusterJars.classesOfFolder(cluster.flinkLib());
        assertThat(lib).as("classes of %s", cluster.flinkLib()).isNotEmpty();
        assertThat(classes.stream()
                        .filter(lib::containsKey)
                        .map(c -> c + " (" + lib.get(c) + ")")
                        .limit(20))
                .as("classes both in %s and in the cluster's lib/", jar.getFileName())
                .isEmpty();
        assertThat(ClusterJars.entries(jar))
                .as("the S3 plugin that elt-cdc.jar bundles for local runs (a cluster has its own)")
                .noneMatch(e -> e.startsWith("elt-cdc-plugins/"));
        assertThat(ClusterJars.providers(jar))
                .as("destinations inside the cluster jar")
                .containsExactlyInAnyOrder(
                        "io.eltcdc.destination.duckdb.DuckDbDestinationProvider",
                        "io.eltcdc.destination.postgres.PostgresDestinationProvider",
                        "io.eltcdc.destination.s3.S3DestinationProvider");

        // The warehouse destinations are jars of their own, added beside it: no class in two of them,
        // and none that Flink would load from its lib/ instead (parent-first packages).
        String[] parentFirst = CoreOptions.getParentFirstLoaderPatterns(new Configuration());
        List<String> destinationJars =
                List.of(System.getProperty("eltcdc.destination.jars", "").split(","));
        assertThat(destinationJars).hasSize(3);
        for (String path : destinationJars) {
            Path destination = Path.of(path);
            String name = destination.getFileName().toString().replaceAll("^elt-cdc-|\\.jar$", "");
            assertThat(destination).as("destination jar").isRegularFile();
            System.out.printf(
                    "%s: %,d bytes (%.1f MiB)%n",
                    destination.getFileName(), Files.size(destination), Files.size(destination) / 1048576.0);
            Set<String> own = ClusterJars.classes(destination);
            String folder = "io/eltcdc/destination/" + name + "/";
            assertThat(own).as(destination + ": the destination").anyMatch(c -> c.startsWith(folder));
            assertThat(classes).as(jar + ": " + name).noneMatch(c -> c.startsWith(folder));
            assertThat(own.stream().filter(classes::contains).limit(20))
                    .as("classes both in %s and in the cluster jar", destination.getFileName())
                    .isEmpty();
            assertThat(own.stream()
                            .filter(lib::containsKey)
                            .filter(c -> isParentFirst(c, parentFirst))
                            .limit(20))
                    .as("classes of %s that Flink loads from its lib/ (parent-first)", destination.getFileName())
                    .isEmpty();
        }
    }

    @Test
    void aDestinationOutsideTheClusterJarRunsFromAnAddedJar() throws Exception {
        // A warehouse cannot run here: the S3 destination stands in for one, moved out of the cluster
        // jar into a jar of its own, as dist/ builds the warehouses' jars.
        ClusterJars.Split split = ClusterJars.splitOut(
                cluster.jar(), "io/eltcdc/destination/s3/", Files.createDirectories(tmp.resolve("split")));
        assertThat(ClusterJars.classes(split.core())).noneMatch(c -> c.startsWith("io/eltcdc/destination/s3/"));
        String sourceUrl = TestPostgres.createDatabase("cluster_added_jar_src");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.items (id int PRIMARY KEY, label text)");
            s.execute("INSERT INTO public.items SELECT i, 'item ' || i FROM generate_series(1, 5000) i");
            s.execute("ANALYZE");
        }
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        String name = "cluster-added-jar";
        Path pipeline = tmp.resolve(name + ".yaml");
        Files.writeString(
                pipeline,
                String.format(
                        """
                        pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s }
                        source: { type: postgres, host: %s, port: %d, database: %s, username: "${env:%s}",
                                  password: "%s", tables: [public.items], chunk-size: 1000 }
                        staging: { path: "s3://%s/%s/staging", roll-size: 4mb, inactivity-interval: 1s }
                        destination: { type: s3, path: "s3://%s/%s/lake" }
                        """,
                        name,
                        src.host(),
                        src.port(),
                        src.database(),
                        USER_VARIABLE,
                        src.password(),
                        BUCKET,
                        name,
                        BUCKET,
                        name));

        // Without the destination's jar the JobManager does not know the type, and says how to add it.
        LocalCluster.Result refused = cluster.submit(
                "--jar", split.core().toString(), "--pipeline", pipeline.toString(), "--snapshot-only", "--wait");
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output())
                .contains("the cluster refused the pipeline")
                .contains("destination.type: expected one of duckdb, postgres, got \"s3\"")
                .contains("add elt-cdc-s3.jar to the job's class path");

        // With it (pipeline.classpaths), the JobManager's checks and the TaskManager's loads use it.
        LocalCluster.Result ran = cluster.submit(
                "--jar",
                split.core().toString(),
                "--destination-jar",
                split.destination().toString(),
                "--pipeline",
                pipeline.toString(),
                "--snapshot-only",
                "--wait");
        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.output()).contains("destination jar on the job's class path: file://" + split.destination());
        String job = ran.value("job").orElseThrow();
        assertThat(rest.state(job)).isEqualTo("FINISHED");
        assertThat(s3.countObjects(BUCKET, name + "/lake/public/items/_manifests/"))
                .as("manifests written by the S3 destination from the added jar")
                .isPositive();
        assertThat(s3.countObjects(BUCKET, name + "/lake/public/items/"))
                .as("data files, schema and manifests")
                .isGreaterThan(s3.countObjects(BUCKET, name + "/lake/public/items/_manifests/"));
    }

    private static boolean isParentFirst(String classFile, String[] patterns) {
        String className = classFile.replace('/', '.');
        for (String pattern : patterns) {
            if (className.startsWith(pattern)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------

    /**
     * A source user under row security ({@link SnapshotGate}): the snapshot test's gate holds only
     * its reads. Superusers and table owners, as the other tests' user is, pass row security.
     */
    private static final String GATED_READER = "elt_gated_reader";

    /** Makes the snapshot readers' reads of {@code table}'s rows with {@code id > from} wait at the gate. */
    private static void gateReadsAbove(Statement s, String table, long from) throws SQLException {
        SnapshotGate.readerRole(s, GATED_READER, TestPostgres.parts().password());
        SnapshotGate.install(s, table, from, GATED_READER);
    }

    /** Staging in S3Proxy (keys from the cluster's configuration), PostgreSQL destination. */
    private static Path writePipeline(
            String name, String sourceUrl, String destUrl, String tables, int chunkSize, String checkpointInterval)
            throws Exception {
        return writePipeline(
                name, sourceUrl, "${env:" + USER_VARIABLE + "}", destUrl, tables, chunkSize, checkpointInterval);
    }

    /** As above, with the source's user name given (a YAML string: a name or a reference). */
    private static Path writePipeline(
            String name,
            String sourceUrl,
            String sourceUser,
            String destUrl,
            String tables,
            int chunkSize,
            String checkpointInterval)
            throws Exception {
        JdbcUrl s = JdbcUrl.parse(sourceUrl);
        JdbcUrl d = JdbcUrl.parse(destUrl);
        String yaml = String.format(
                """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: %s }
                source: { type: postgres, host: %s, port: %d, database: %s, username: "%s", password: "%s",
                          tables: %s, chunk-size: %d }
                staging: { path: "s3://%s/%s", roll-size: 4mb, inactivity-interval: 1s, retention: keep }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: "${env:%s}", password: "%s" }
                """,
                name,
                checkpointInterval,
                s.host(),
                s.port(),
                s.database(),
                sourceUser,
                s.password(),
                tables,
                chunkSize,
                BUCKET,
                name,
                d.host(),
                d.port(),
                d.database(),
                USER_VARIABLE,
                d.password());
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> prometheusLines(String job) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<String> lines = new ArrayList<>();
        for (int port = 9249; port <= 9260; port++) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                r.body()
                        .lines()
                        .filter(l -> l.contains("job_id=\"" + job + "\""))
                        .forEach(lines::add);
            } catch (java.io.IOException nothingThere) {
                // Not every port of the range is taken.
            }
        }
        return lines;
    }

    /** Drops the pipeline's replication slots once the cancelled job has let go of them. */
    private static void dropSlots(String url) throws Exception {
        String db = JdbcUrl.parse(url).database();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            await("replication slots of " + db + " released", () -> {
                try (ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_replication_slots WHERE database = '" + db + "' AND active")) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            });
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db
                    + "'");
        }
    }

    private static long countIfExists(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        return Long.parseLong(row(c, "SELECT count(*) FROM " + table).get(0));
    }

    private static List<String> row(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getString(i));
            }
            return out;
        }
    }

    /** Whether a savepoint of {@code job} has completed, by the REST API's checkpoint statistics. */
    private static boolean savepointTaken(String job) throws Exception {
        return rest.get("/jobs/" + job + "/checkpoints")
                .path("latest")
                .path("savepoint")
                .path("status")
                .asText()
                .equals("COMPLETED");
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        await(() -> what, check);
    }

    /** Polls {@code check} every 200 ms until it holds; fails after {@link #DEADLINE}. */
    private static void await(java.util.function.Supplier<String> what, Check check) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what.get());
            }
            LockSupport.parkNanos(200_000_000L); // the poll interval; the deadline bounds the wait
        }
    }
}
