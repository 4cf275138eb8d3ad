package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.TlsFailures;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.testing.TestTls;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code destination.tls} for Redshift: the driver's keys, and the Redshift driver itself (a pgjdbc
 * fork) using them against the local PostgreSQL as a user admitted only over TLS, verify-full against
 * the test CA (no Redshift cluster runs here; the TLS handshake is the driver's and the server's alone).
 */
class RedshiftTlsTest {

    @Test
    void verifyFullGivesTheDriverTheModeAndTheCa() throws Exception {
        Properties p = options(tls("{ mode: verify-full, ca-file: " + TestTls.caFile() + " }"))
                .tlsProperties();
        assertThat(p)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "ssl",
                        "true",
                        "sslmode",
                        "verify-full",
                        "sslrootcert",
                        TestTls.caFile().toString()));
    }

    @Test
    void disableTurnsTheDriversDefaultTlsOff() throws Exception {
        assertThat(options(tls("{ mode: disable }")).tlsProperties())
                .containsExactlyInAnyOrderEntriesOf(Map.of("ssl", "false"));
        assertThat(options(null).tlsProperties()).isEmpty();
    }

    /**
     * PostgreSQL refuses the Redshift driver's own start-up parameter ({@code driver_version}), but
     * only after the TLS handshake and the login: it reads start-up parameters once the user is
     * authenticated, and admits this user only over TLS. With the wrong CA the handshake fails first.
     */
    @Test
    void theRedshiftDriverGetsPastTheHandshakeWithTheseKeysAndNotWithAnotherCa() {
        Throwable trusted = connect(tls("{ mode: verify-full, ca-file: " + TestTls.caFile() + " }"));
        assertThat(trusted).hasMessageContaining("unrecognized configuration parameter \"driver_version\"");

        TlsSettings other = tls("{ mode: verify-full, ca-file: " + TestTls.otherCaFile() + " }");
        Throwable untrusted = connect(other);
        assertThat(TlsFailures.describe(untrusted, other, "destination.tls", TestTls.USER, "127.0.0.1"))
                .isEqualTo("destination.tls.ca-file: the server's certificate is not signed by " + TestTls.otherCaFile()
                        + " (127.0.0.1); give the CA that signed it");
    }

    private static Throwable connect(TlsSettings tls) {
        Properties p = options(tls).tlsProperties();
        p.setProperty("user", TestTls.USER);
        return catchThrowable(() -> new com.amazon.redshift.Driver()
                .connect("jdbc:redshift://127.0.0.1:5432/postgres", p)
                .close());
    }

    private static TlsSettings tls(String yaml) {
        Map<?, ?> map = new org.yaml.snakeyaml.Yaml().load("tls: " + yaml);
        try {
            return TlsSettings.parse(new ConfigNode("destination", map, name -> null), "tls");
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static RedshiftOptions options(TlsSettings tls) {
        return new RedshiftOptions(
                "jdbc:redshift://127.0.0.1:5432/postgres",
                TestTls.USER,
                null,
                new CopyCredentials.IamRole("default"),
                null,
                "s3://bucket/prefix",
                LongStrings.FAIL,
                null,
                DeleteMode.HARD,
                tls);
    }
}
