package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.TlsMaterial;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.postgres.PostgresConfig;
import io.eltcdc.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tls} blocks of the source and the destination, and {@code staging.s3.ca-file}. */
class TlsConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    @TempDir
    Path tmp;

    private static PipelineConfig parse(String tls) throws ConfigException {
        return PipelineConfig.parse(
                "pipeline: { name: shop }\n"
                        + "source: { type: postgres, host: db, database: shop, username: u, tables: [public.t]"
                        + (tls == null ? "" : ", tls: " + tls) + " }\n"
                        + "staging: { path: \"file:///tmp/staging\" }\n"
                        + "destination: { type: duckdb, path: /tmp/shop.duckdb }\n",
                NO_ENV);
    }

    private static String ca() {
        return TestTls.caFile().toString();
    }

    @Test
    void withoutABlockTheDriversDefaultsApply() throws Exception {
        assertThat(parse(null).source().tls()).isNull();
    }

    @Test
    void aBlockDefaultsToVerifyFullAndGivesPgjdbcItsKeys() throws Exception {
        TlsSettings tls = parse("{ ca-file: " + ca() + " }").source().tls();
        assertThat(tls).isEqualTo(new TlsSettings("source.tls", TlsSettings.Mode.VERIFY_FULL, ca(), null, null));
        Properties p = new Properties();
        tls.addPgjdbcProperties(p, "database.");
        assertThat(p).containsOnlyKeys("database.sslmode", "database.sslrootcert");
        assertThat(p.getProperty("database.sslmode")).isEqualTo("verify-full");
        assertThat(p.getProperty("database.sslrootcert")).isEqualTo(ca());
    }

    @Test
    void verifyModesNeedTheCaAndRequireRefusesIt() {
        assertThatThrownBy(() -> parse("{ mode: verify-ca }"))
                .hasMessage("source.tls.ca-file: required with mode verify-ca: the PEM file of the CA that signed the"
                        + " server's certificate (or set source.tls.mode: require to skip the check)");
        assertThatThrownBy(() -> parse("{ mode: require, ca-file: " + ca() + " }"))
                .hasMessage("source.tls.ca-file: is used only by mode verify-ca or verify-full (mode is require);"
                        + " set one of them or remove ca-file");
    }

    @Test
    void modeAndKeysAreChecked() {
        assertThatThrownBy(() -> parse("{ mode: strict }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("source.tls.mode: ")
                .hasMessageContaining("verify-full");
        assertThatThrownBy(() -> parse("{ cafile: " + ca() + " }"))
                .hasMessageStartingWith("source.tls: unknown key \"cafile\"")
                .hasMessageContaining("ca-file");
        assertThatThrownBy(() -> parse("{ mode: verify-ca, ca-file: /nope/ca.crt }"))
                .hasMessage("source.tls.ca-file: no such file: /nope/ca.crt");
        assertThatThrownBy(() -> parse("{ mode: verify-ca, ca-file: ca.crt }"))
                .hasMessage("source.tls.ca-file: expected an absolute path, got \"ca.crt\"");
        assertThatThrownBy(() -> parse("{ mode: require, cert-file: " + TestTls.clientCertFile() + " }"))
                .hasMessage("source.tls.key-file: required with cert-file: give both or neither");
        assertThatThrownBy(() -> parse("{ mode: disable, cert-file: " + TestTls.clientCertFile() + ", key-file: "
                        + TestTls.clientKeyPem() + " }"))
                .hasMessage("source.tls.cert-file: a client certificate needs TLS (mode is disable); set a mode or"
                        + " remove it");
    }

    @Test
    void filesMustHoldWhatTheirKeySays() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("ca.txt"), "not a certificate");
        assertThatThrownBy(() -> parse("{ mode: verify-ca, ca-file: " + notPem + " }"))
                .hasMessageStartingWith("source.tls.ca-file: cannot read a certificate from " + notPem);
        Path pkcs1 = Files.writeString(
                tmp.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> parse(
                        "{ mode: require, cert-file: " + TestTls.clientCertFile() + ", key-file: " + pkcs1 + " }"))
                .hasMessage("source.tls.key-file: expected an unencrypted PKCS-8 key (-----BEGIN PRIVATE KEY-----)"
                        + " in " + pkcs1 + ", found RSA PRIVATE KEY; convert it with: openssl pkcs8 -topk8 -nocrypt"
                        + " -in " + pkcs1 + " -out key.pk8 -outform DER");
    }

    @Test
    void aPemKeyBecomesTheDerKeyPgjdbcReads() throws Exception {
        String der = TlsMaterial.pkcs8DerKey(
                "source.tls.key-file", TestTls.clientKeyPem().toString());
        assertThat(Files.readAllBytes(Path.of(der))).isEqualTo(Files.readAllBytes(TestTls.clientKeyDer()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(der))))
                .isEqualTo("rw-------");
        // a DER key is used as it is
        assertThat(TlsMaterial.pkcs8DerKey(
                        "source.tls.key-file", TestTls.clientKeyDer().toString()))
                .isEqualTo(TestTls.clientKeyDer().toString());
    }

    @Test
    void destinationAndS3HaveTheirOwnKeys() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                "pipeline: { name: shop, state-dir: \"s3://state/shop\" }\n"
                        + "source: { type: postgres, host: db, database: shop, username: u, tables: [public.t] }\n"
                        + "staging: { path: \"s3://staging/shop\", s3: { endpoint: \"https://minio:9000\", ca-file: "
                        + ca() + " } }\n"
                        + "destination: { type: postgres, host: dw, database: dw, username: w,"
                        + " tls: { mode: require } }\n",
                NO_ENV);
        assertThat(((PostgresConfig) c.destination().config()).tls())
                .isEqualTo(new TlsSettings("destination.tls", TlsSettings.Mode.REQUIRE, null, null, null));
        assertThat(c.staging().s3().caFile()).isEqualTo(ca());
        assertThatThrownBy(() -> PipelineConfig.parse(
                        "pipeline: { name: shop }\n"
                                + "source: { type: postgres, host: db, database: shop, username: u, tables: [public.t] }\n"
                                + "staging: { path: \"file:///tmp/staging\" }\n"
                                + "destination: { type: postgres, host: dw, database: dw, username: w,"
                                + " tls: { mode: verify-full } }\n",
                        NO_ENV))
                .hasMessageStartingWith("destination.tls.ca-file: required with mode verify-full");
    }
}
