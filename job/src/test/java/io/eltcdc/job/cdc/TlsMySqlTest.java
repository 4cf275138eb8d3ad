package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TcpForwarder;
import io.eltcdc.testing.TestMySql;
import io.eltcdc.testing.TestPostgres;
import io.eltcdc.testing.TestTls;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code source.tls} against the local MariaDB, whose user {@code elt_tls_user} is admitted only
 * over TLS (REQUIRE SSL, scripts/lib/tls.sh), so every session the pipeline opens as that user,
 * the binlog client's included, is encrypted: a continuous pipeline with verify-full (snapshot,
 * then binlog changes) equals the source row by row; without TLS, with the wrong CA, and through a
 * host the certificate does not name, the start-up check fails with one line naming source.tls.
 */
class TlsMySqlTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static String sourceUrl;
    private static String destUrl;

    @BeforeAll
    static void databases() throws Exception {
        sourceUrl = TestMySql.createDatabase("tls_my_source");
        destUrl = TestPostgres.createDatabase("tls_my_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl)) {
            MySqlWorkload.createTable(c, 2_000);
        }
    }

    @Test
    void aContinuousPipelineReadsSnapshotAndBinlogOverVerifyFull() throws Exception {
        JobClient job = ContinuousSyncPostgresTest.start(pipeline("tls-my", "127.0.0.1", 3306, verifyFull()));
        try {
            Await.until("the snapshot to be loaded", Duration.ofSeconds(90), () -> {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    job.getJobExecutionResult().get();
                    throw new AssertionError("the pipeline ended");
                }
                return liveRows().size() == 2_000;
            });
            MySqlWorkload workload = new MySqlWorkload(sourceUrl, 5);
            workload.run(100);
            awaitEqual();
            workload.run(100);
            awaitEqual();
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
    }

    @Test
    void withoutTlsTheLoginIsRefusedAndTheMessageNamesSourceTls() throws Exception {
        assertThatThrownBy(
                        () -> Preflight.check(pipeline("tls-my-plain", "127.0.0.1", 3306, "{ mode: disable }"), QUIET))
                .hasMessage("source.tls: the server refused user elt_tls_user without TLS (mode: disable): access"
                        + " denied; if the account requires TLS (REQUIRE SSL), set source.tls.mode: require or"
                        + " stronger, else check the user and password");
    }

    @Test
    void aCertificateTheCaDidNotSignIsNotTrusted() throws Exception {
        String other = TestTls.otherCaFile().toString();
        assertThatThrownBy(() -> Preflight.check(
                        pipeline("tls-my-ca", "127.0.0.1", 3306, "{ mode: verify-ca, ca-file: " + other + " }"), QUIET))
                .hasMessage("source.tls.ca-file: the server's certificate is not signed by " + other
                        + " (127.0.0.1); give the CA that signed it");
    }

    @Test
    void verifyFullThroughAHostTheCertificateDoesNotNameIsAMismatch() throws Exception {
        try (TcpForwarder other = TcpForwarder.start(InetAddress.getByName(TestTls.MISMATCH_HOST), "127.0.0.1", 3306)) {
            assertThatThrownBy(() -> Preflight.check(
                            pipeline("tls-my-host", TestTls.MISMATCH_HOST, other.port(), verifyFull()), QUIET))
                    .hasMessage("source.tls: host name mismatch: the server's certificate does not name 127.0.0.2"
                            + " (use mode verify-ca or connect by a name in the certificate)");
        }
    }

    private static String verifyFull() {
        return "{ mode: verify-full, ca-file: " + TestTls.caFile() + " }";
    }

    private static void awaitEqual() throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl)) {
            Await.until(
                    "the destination to equal the source",
                    Duration.ofSeconds(120),
                    () -> Sql.rows(src, MySqlWorkload.SOURCE_ROWS).equals(liveRows()));
            assertThat(liveRows()).containsExactlyElementsOf(Sql.rows(src, MySqlWorkload.SOURCE_ROWS));
        }
    }

    private static List<String> liveRows() throws SQLException {
        try (Connection dst = DriverManager.getConnection(destUrl)) {
            return Sql.rows(dst, MySqlWorkload.destinationRows("copy"));
        } catch (SQLException e) {
            return List.of(); // not created yet
        }
    }

    private static PipelineConfig pipeline(String name, String host, int port, String tls) throws Exception {
        String database = TestMySql.parts(sourceUrl).database();
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s }
                source: { type: mysql, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [%s.orders], chunk-size: 500, heartbeat-interval: 1s, tls: %s }
                staging: { path: "file://%s", inactivity-interval: 1s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                        name,
                        host,
                        port,
                        database,
                        TestTls.USER,
                        TestTls.MYSQL_PASSWORD,
                        database,
                        tls,
                        System.getProperty("java.io.tmpdir") + "/elt-cdc-test-staging/" + name + "-"
                                + System.nanoTime(),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password()),
                System::getenv);
    }
}
