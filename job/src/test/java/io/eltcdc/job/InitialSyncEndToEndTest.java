package io.eltcdc.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole initial sync on one shared mini-cluster: real PostgreSQL source, staging on a local
 * folder and on S3 (S3Proxy), loads into real PostgreSQL and DuckDB; every table of the fixture
 * must arrive equal value by value.
 */
class InitialSyncEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path tmp;

    static String sourceUrl;
    static S3ProxyServer s3;

    @BeforeAll
    static void setUp() throws Exception {
        sourceUrl = TestPostgres.createDatabase("e2e_source");
        try (Connection c = DriverManager.getConnection(sourceUrl)) {
            SourceFixture.create(c);
        }
        s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
        s3.createBucket("staging");
        StagingFileSystems.initialize(s3.flinkConfiguration());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void fileStagingIntoPostgresWithSchemaOverride() throws Exception {
        String destUrl = TestPostgres.createDatabase("e2e_dest_pg");
        JdbcUrl dest = JdbcUrl.parse(destUrl);
        String destination =
                String.format("""
                { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s", schema: copy }""", dest.host(), dest.port(), dest.database(), dest.user(), dest.password());
        run(pipeline("e2e-pg", "file://" + tmp.resolve("staging-pg"), destination, "[public.*, \"hidden.Odd Table\"]"));

        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            utc(src);
            utc(dst);
            for (String qualified : SourceFixture.TABLES) {
                String[] t = split(qualified);
                assertThat(TableComparison.destinationRows(
                                src, t[0], t[1], dst, TableComparison.Dialect.POSTGRES, "copy"))
                        .as(qualified)
                        .containsExactlyElementsOf(TableComparison.sourceRows(src, t[0], t[1]));
            }
            assertThat(count(dst, "SELECT count(*) FROM elt_cdc.loads WHERE pipeline = 'e2e-pg'"))
                    .isPositive();
        }
        assertThat(stagedFiles(tmp.resolve("staging-pg"))).isPositive();
    }

    @Test
    void s3StagingIntoDuckDb() throws Exception {
        Path duckdb = tmp.resolve("dest.duckdb");
        run(pipeline(
                "e2e-duck",
                "s3://staging/e2e",
                "{ type: duckdb, path: \"" + duckdb + "\" }",
                "["
                        + String.join(
                                ", ",
                                SourceFixture.TABLES.stream()
                                        .map(t -> "\"" + t + "\"")
                                        .toList()) + "]"));

        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection("jdbc:duckdb:" + duckdb)) {
            utc(src);
            for (String qualified : SourceFixture.TABLES) {
                String[] t = split(qualified);
                assertThat(TableComparison.destinationRows(src, t[0], t[1], dst, TableComparison.Dialect.DUCKDB, t[0]))
                        .as(qualified)
                        .containsExactlyElementsOf(TableComparison.sourceRows(src, t[0], t[1]));
            }
        }
        assertThat(s3.countObjects("staging", "e2e/")).isPositive();
    }

    private static String pipeline(String name, String stagingPath, String destination, String tables) {
        return String.format(
                """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 500ms }
                source:
                  type: postgres
                  host: %s
                  port: %d
                  database: %s
                  username: %s
                  password: "%s"
                  tables: %s
                  chunk-size: 64
                  primary-keys: {}
                staging: { path: "%s", roll-size: 16kb, inactivity-interval: 1s, roll-interval: 5s%s }
                destination: %s
                """,
                name,
                source().host(),
                source().port(),
                source().database(),
                source().user(),
                source().password(),
                tables,
                stagingPath,
                stagingPath.startsWith("s3://")
                        ? ", s3: { endpoint: \"" + s3.endpoint() + "\", access-key: " + S3ProxyServer.ACCESS_KEY
                                + ", secret-key: " + S3ProxyServer.SECRET_KEY + ", path-style-access: true }"
                        : "",
                destination);
    }

    private static void run(String yaml) throws Exception {
        PipelineConfig config = PipelineConfig.parse(yaml, System::getenv);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forPipeline(config));
        PipelineTopology.build(
                env, config, Preflight.check(config, System.out), io.eltcdc.job.run.RunMode.SNAPSHOT_ONLY);
        env.execute(config.pipeline().name());
    }

    private static JdbcUrl source() {
        return JdbcUrl.parse(sourceUrl);
    }

    private static String[] split(String qualified) {
        int dot = qualified.indexOf('.');
        return new String[] {qualified.substring(0, dot), qualified.substring(dot + 1)};
    }

    private static void utc(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long stagedFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".avro"))
                    .count();
        }
    }
}
