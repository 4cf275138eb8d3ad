package io.eltcdc.job.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.postgres.PostgresSlots;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job graph of a PostgreSQL → PostgreSQL pipeline with S3 staging, whose source password, S3
 * secret key and destination password come from {@code ${env:…}} and {@code ${file:…}} with unique
 * markers, serialized as a Flink client sends it (the graph with its operators, execution config,
 * job configuration and artifacts): no marker in it, as text or base64, for a local run nor for a
 * cluster submission. Control: a password written in the file itself is found in the same bytes.
 */
class JobGraphSecretsTest {
    @TempDir
    static Path tmp;

    static final String S3_SECRET = SecretMarkers.marker("staging.s3.secret-key");
    static String sourceUrl;
    static String destUrl;
    static S3ProxyServer s3;

    final Map<String, String> markers = new LinkedHashMap<>();

    @BeforeAll
    static void databases() throws Exception {
        sourceUrl = TestPostgres.createDatabase("secrets_graph_src");
        destUrl = TestPostgres.createDatabase("secrets_graph_dst");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g");
        }
        // The staging writer's serializers need the S3 file system, as in a run.
        s3 = S3ProxyServer.startWithSecretKey(Files.createDirectories(tmp.resolve("s3")), S3_SECRET);
        s3.createBucket("secrets-staging");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private String marker(String label) {
        String m = SecretMarkers.marker(label);
        markers.put(label, m);
        return m;
    }

    /** The pipeline, with {@code sourcePassword} as written in the file. */
    private PipelineConfig pipeline(String sourcePassword, Map<String, String> env) throws Exception {
        return pipeline(sourcePassword, env, false);
    }

    private PipelineConfig pipeline(String sourcePassword, Map<String, String> env, boolean logDuringSnapshot)
            throws Exception {
        Path destPassword = Files.writeString(tmp.resolve("dest-password"), marker("destination.password") + "\n");
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                        pipeline: { name: secrets-graph, parallelism: 2, checkpoint-interval: 1s, state-dir: "file://%s" }
                        source: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                                  password: "%s", tables: [public.items], log-during-snapshot: %s }
                        staging:
                          path: s3://secrets-staging/stage
                          s3: { endpoint: "%s", access-key: %s,
                                secret-key: "${env:ELT_TEST_S3_SECRET}", path-style-access: true }
                        destination: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                                       password: "${file:%s}", schema: copy }
                        """,
                        tmp.resolve("state"),
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        sourcePassword,
                        logDuringSnapshot,
                        s3.endpoint(),
                        S3ProxyServer.ACCESS_KEY,
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        destPassword),
                env::get);
    }

    private Map<String, String> env() {
        markers.put("staging.s3.secret-key", S3_SECRET);
        return Map.of("ELT_TEST_SOURCE_PASSWORD", marker("source.password"), "ELT_TEST_S3_SECRET", S3_SECRET);
    }

    /** The bytes a Flink client sends for the pipeline's job, built with {@code conf}. */
    private static byte[] submittedBytes(PipelineConfig config, Configuration conf) throws Exception {
        List<TableSchema> tables = Preflight.check(config, new PrintStream(new ByteArrayOutputStream()));
        StagingFileSystems.initialize(FlinkSettings.forFileSystems(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        PipelineTopology.build(env, config, tables, RunMode.CONTINUOUS);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(InstantiationUtil.serializeObject(graph));
        bytes.writeBytes(graph.getSerializedExecutionConfig().getByteArray());
        bytes.writeBytes(graph.getJobConfiguration().toString().getBytes(StandardCharsets.UTF_8));
        graph.getUserArtifacts()
                .forEach((name, entry) ->
                        bytes.writeBytes((name + "=" + entry.filePath).getBytes(StandardCharsets.UTF_8)));
        for (var vertex : graph.getVertices()) {
            bytes.writeBytes(InstantiationUtil.serializeObject(vertex.getConfiguration()));
        }
        return bytes.toByteArray();
    }

    /**
     * Both modes: beside the snapshot, the change-log source is built in {@code main} (in the
     * sequential mode, in the JobManager at the switch), and Flink CDC's builders take the password
     * as a value.
     */
    @ParameterizedTest(name = "log-during-snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void referencedSecretsAreNotInTheJobGraphOfALocalRunNorOfASubmission(boolean logDuringSnapshot) throws Exception {
        PipelineConfig config = pipeline("${env:ELT_TEST_SOURCE_PASSWORD}", env(), logDuringSnapshot);
        try {
            assertNoSecretInTheJobGraph(config);
        } finally {
            // Beside the snapshot, building the job records the log start: the slot is created then.
            try (Connection c = DriverManager.getConnection(sourceUrl)) {
                PostgresSlots.drop(
                        c, ReplicationNames.slot("secrets-graph"), ReplicationNames.publication("secrets-graph"));
            }
        }
    }

    private void assertNoSecretInTheJobGraph(PipelineConfig config) throws Exception {
        assertThat(config.literalSecrets()).isEmpty();
        // The secrets do resolve where main runs (the checks connect with them).
        assertThat(config.source().password().value()).isEqualTo(markers.get("source.password"));
        assertThat(config.staging().s3().secretKey().value()).isEqualTo(markers.get("staging.s3.secret-key"));

        byte[] local = submittedBytes(config, FlinkSettings.forLocalRun(config));
        byte[] cluster = submittedBytes(config, FlinkSettings.forCluster(config));

        assertThat(local.length).as("a real job graph was serialized").isGreaterThan(10_000);
        assertThat(SecretMarkers.found(local, markers))
                .as("markers in a local run's job graph")
                .isEmpty();
        assertThat(SecretMarkers.found(cluster, markers))
                .as("markers in a submitted job graph")
                .isEmpty();
        // The references themselves are what travels.
        assertThat(new String(local, StandardCharsets.ISO_8859_1)).contains("${env:ELT_TEST_SOURCE_PASSWORD}");
    }

    @Test
    void controlASecretWrittenInTheFileOrAnS3KeyInTheJobsConfigurationIsFound() throws Exception {
        String literal = marker("literal source.password");
        PipelineConfig config = pipeline(literal, env());
        assertThat(config.literalSecrets()).containsExactly("source.password");
        assertThat(config.literalSecretWarnings())
                .containsExactly("warning: source.password is written in the pipeline file, so it travels inside"
                        + " the job (job graph, checkpoints); write \"${env:NAME}\" or \"${file:/path}\" to keep it"
                        + " out");

        assertThat(SecretMarkers.found(submittedBytes(config, FlinkSettings.forLocalRun(config)), markers))
                .containsExactly("literal source.password");
        // What the job graph held before the S3 keys were kept out of the job's configuration: the
        // file systems' configuration (resolved secret key included) passed to the environment.
        assertThat(SecretMarkers.found(submittedBytes(config, FlinkSettings.forFileSystems(config)), markers))
                .contains("staging.s3.secret-key");
    }
}
