package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TcpForwarder;
import io.eltcdc.testing.TestPostgres;
import io.eltcdc.testing.TestTls;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code source.tls} and {@code destination.tls} against the local PostgreSQL, whose user
 * {@code elt_tls_user} is admitted only over TLS (scripts/lib/tls.sh): a continuous pipeline with
 * verify-full on both sides (snapshot, slot, WAL stream, loads), and the one-line refusals of a
 * pipeline without TLS, with the wrong CA and through a host the certificate does not name.
 */
class TlsPostgresTest {
    private static final String PIPELINE = "tls-pg";
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
        sourceUrl = TestPostgres.createDatabase("tls_pg_source");
        destUrl = TestPostgres.createDatabase("tls_pg_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            PostgresWorkload.createTables(c, 3_000);
            // the pipeline's user publishes them, so it owns them
            s.execute("ALTER TABLE public.orders OWNER TO " + TestTls.USER);
            s.execute("ALTER TABLE public.lines OWNER TO " + TestTls.USER);
            s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + TestTls.CERT_USER);
        }
        try (Connection c = DriverManager.getConnection(TestPostgres.adminUrl());
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE tls_pg_dest OWNER TO " + TestTls.USER);
            s.execute("ALTER DATABASE tls_pg_source OWNER TO " + TestTls.USER); // CREATE PUBLICATION
        }
    }

    @Test
    void aContinuousPipelineRunsOverVerifyFullOnBothSides() throws Exception {
        PipelineConfig config = pipeline(PIPELINE, "127.0.0.1", 5432, TestTls.USER, verifyFull(), verifyFull());
        JobClient job = ContinuousSyncPostgresTest.start(config);
        try {
            Await.until("the replication slot", Duration.ofSeconds(60), () -> {
                failIfEnded(job);
                return ContinuousSyncPostgresTest.slotExists(sourceUrl, PIPELINE);
            });
            PostgresWorkload workload = new PostgresWorkload(sourceUrl, 7);
            workload.run(100);
            ContinuousSyncPostgresTest.awaitEqual(sourceUrl, destUrl);
            workload.run(100);
            ContinuousSyncPostgresTest.awaitEqual(sourceUrl, destUrl);
            // Every session of the pipeline's user, the WAL sender included, is encrypted.
            List<String> sessions = tlsSessions();
            assertThat(sessions).contains("walsender tls_pg_source ssl=true", "client backend tls_pg_dest ssl=true");
            assertThat(sessions).allMatch(s -> s.endsWith("ssl=true"));
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, PIPELINE);
        }
    }

    @Test
    void withoutTlsTheServerRefusesAndTheMessageNamesSourceTls() throws Exception {
        PipelineConfig config =
                pipeline("tls-pg-plain", "127.0.0.1", 5432, TestTls.USER, "{ mode: disable }", verifyFull());
        assertThatThrownBy(() -> Preflight.check(config, QUIET))
                .hasMessage("source.tls: the server refused a non-TLS connection for user elt_tls_user"
                        + " (mode: disable); set source.tls.mode: require or stronger");
    }

    @Test
    void aCertificateTheCaDidNotSignIsNotTrusted() throws Exception {
        String other = TestTls.otherCaFile().toString();
        PipelineConfig config = pipeline(
                "tls-pg-ca",
                "127.0.0.1",
                5432,
                TestTls.USER,
                "{ mode: verify-ca, ca-file: " + other + " }",
                verifyFull());
        assertThatThrownBy(() -> Preflight.check(config, QUIET))
                .hasMessage("source.tls.ca-file: the server's certificate is not signed by " + other
                        + " (127.0.0.1); give the CA that signed it");
    }

    @Test
    void verifyFullThroughAHostTheCertificateDoesNotNameIsAMismatchVerifyCaIsNot() throws Exception {
        try (TcpForwarder other = TcpForwarder.start(InetAddress.getByName(TestTls.MISMATCH_HOST), "127.0.0.1", 5432)) {
            PipelineConfig full = pipeline(
                    "tls-pg-host", TestTls.MISMATCH_HOST, other.port(), TestTls.USER, verifyFull(), verifyFull());
            assertThatThrownBy(() -> Preflight.check(full, QUIET))
                    .hasMessage("source.tls: host name mismatch: the server's certificate does not name 127.0.0.2"
                            + " (use mode verify-ca or connect by a name in the certificate)");

            PipelineConfig ca = pipeline(
                    "tls-pg-host",
                    TestTls.MISMATCH_HOST,
                    other.port(),
                    TestTls.USER,
                    "{ mode: verify-ca, ca-file: " + TestTls.caFile() + " }",
                    verifyFull());
            assertThat(Preflight.check(ca, QUIET))
                    .extracting(t -> t.id().toString())
                    .containsExactly("public.orders", "public.lines");
        }
    }

    @Test
    void aDestinationThatRefusesNonTlsIsReportedUnderDestinationTls() throws Exception {
        PipelineConfig config =
                pipeline("tls-pg-dest", "127.0.0.1", 5432, TestTls.USER, verifyFull(), "{ mode: disable }");
        assertThatThrownBy(() -> Preflight.check(config, QUIET))
                .hasMessage("destination.tls: the server refused a non-TLS connection for user elt_tls_user"
                        + " (mode: disable); set destination.tls.mode: require or stronger");
    }

    @Test
    void aClientCertificateLogsInTheUserItNames() throws Exception {
        String tls = "{ mode: verify-full, ca-file: " + TestTls.caFile() + ", cert-file: " + TestTls.clientCertFile()
                + ", key-file: " + TestTls.clientKeyPem() + " }";
        PipelineConfig config = pipeline("tls-pg-cert", "127.0.0.1", 5432, TestTls.CERT_USER, tls, verifyFull());
        List<TableSchema> tables = Preflight.check(config, QUIET);
        assertThat(tables).extracting(t -> t.id().toString()).containsExactly("public.orders", "public.lines");

        PipelineConfig without =
                pipeline("tls-pg-cert", "127.0.0.1", 5432, TestTls.CERT_USER, verifyFull(), verifyFull());
        assertThatThrownBy(() -> Preflight.check(without, QUIET))
                .hasMessageStartingWith("source.tls.cert-file: the server did not accept the client certificate for"
                        + " user elt_tls_cert_user (none given)");
    }

    /** A job that ended on its own failed: its cause, instead of a wait that times out. */
    private static void failIfEnded(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get();
            throw new AssertionError("the pipeline ended");
        }
    }

    private static String verifyFull() {
        return "{ mode: verify-full, ca-file: " + TestTls.caFile() + " }";
    }

    private static List<String> tlsSessions() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestPostgres.adminUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT a.backend_type, coalesce(a.datname, ''), s.ssl"
                        + " FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.usename = '"
                        + TestTls.USER + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " ssl=" + rs.getBoolean(3));
            }
        }
        return out;
    }

    private static PipelineConfig pipeline(
            String name, String host, int port, String user, String sourceTls, String destinationTls) throws Exception {
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                          tables: [public.orders, public.lines], chunk-size: 500, heartbeat-interval: 1s,
                          tls: %s }
                staging: { path: "file://%s", inactivity-interval: 1s }
                destination: { type: postgres, host: 127.0.0.1, port: %d, database: %s, username: %s,
                               schema: copy, tls: %s }
                """,
                        name,
                        host,
                        port,
                        src.database(),
                        user,
                        sourceTls,
                        System.getProperty("java.io.tmpdir") + "/elt-cdc-test-staging/" + name + "-"
                                + System.nanoTime(),
                        dst.port(),
                        dst.database(),
                        TestTls.USER,
                        destinationTls),
                System::getenv);
    }
}
