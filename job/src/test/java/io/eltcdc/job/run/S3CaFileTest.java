package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestTls;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code staging.s3.ca-file}: S3Proxy serves HTTPS only, with a certificate the test CA signed (not
 * one the JDK trusts): without the CA the handshake fails; with {@code ca-file} the pipeline's S3
 * file system writes a staged file there and reads it back.
 */
class S3CaFileTest {
    @TempDir
    Path tmp;

    @Test
    void theS3FileSystemTrustsTheEndpointSignedByTheCaFile() throws Exception {
        try (S3ProxyServer s3 =
                S3ProxyServer.startHttps(tmp.resolve("s3"), TestTls.httpsKeyStore(), TestTls.MYSQL_PASSWORD)) {
            s3.createBucket("tls-staging");
            assertThat(s3.endpoint()).startsWith("https://127.0.0.1:");
            PipelineConfig config = PipelineConfig.parse(
                    String.format(
                            """
                    pipeline: { name: s3-ca }
                    source: { type: postgres, host: 127.0.0.1, database: unused, username: u, tables: [public.t] }
                    staging: { path: "s3://tls-staging/stage",
                               s3: { endpoint: "%s", access-key: %s, secret-key: %s, path-style-access: true,
                                     ca-file: %s } }
                    destination: { type: duckdb, path: %s }
                    """,
                            s3.endpoint(),
                            S3ProxyServer.ACCESS_KEY,
                            S3ProxyServer.SECRET_KEY,
                            TestTls.caFile(),
                            tmp.resolve("d.duckdb")),
                    System::getenv);
            assertThat(config.staging().s3().caFile())
                    .isEqualTo(TestTls.caFile().toString());

            Configuration conf = FlinkSettings.forFileSystems(config);
            conf.setString("s3.attempts.maximum", "1"); // the refused handshake fails at once
            conf.setString("s3.retry.limit", "1");
            org.apache.flink.core.fs.Path file = new org.apache.flink.core.fs.Path("s3://tls-staging/stage/hello.txt");

            assertThat(StagingFileSystems.initialize(conf)).isTrue();
            assertThat(catchThrowable(() -> file.getFileSystem().exists(file)))
                    .as("without the CA file's CA in the JVM's trust")
                    .hasStackTraceContaining("PKIX path building failed");

            FlinkSettings.trustS3Ca(config);
            StagingFileSystems.initialize(conf); // a new S3 client, which reads the JVM's trust again
            FileSystem fs = file.getFileSystem();
            try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
                out.write("over https".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = fs.open(file)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("over https");
            }
            assertThat(s3.keys("tls-staging", "stage/")).containsExactly("stage/hello.txt");
        }
    }
}
