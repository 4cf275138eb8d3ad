package io.eltcdc.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLS set-up of the local test servers, made by {@code scripts/test.sh} (scripts/lib/tls.sh): a
 * test CA, a server certificate for {@code localhost} and {@code 127.0.0.1} (not {@link
 * #MISMATCH_HOST}), a client certificate for {@link #CERT_USER}, and a second CA that signed nothing
 * the servers use. The files are in {@code ELT_TEST_TLS_DIR}, by default {@code /var/lib/elt-cdc-tls}.
 *
 * <p>PostgreSQL admits {@link #USER} (no password, LOGIN REPLICATION) and {@link #CERT_USER} (by its
 * certificate) only over TLS, for databases and replication; MariaDB admits {@link #USER} (password
 * {@link #MYSQL_PASSWORD}) only over TLS (REQUIRE SSL).
 */
public final class TestTls {
    public static final String USER = "elt_tls_user";
    public static final String CERT_USER = "elt_tls_cert_user";
    public static final String MYSQL_PASSWORD = "elt-cdc-tls";
    /** A loopback address the server certificate does not name. */
    public static final String MISMATCH_HOST = "127.0.0.2";

    private TestTls() {}

    public static Path dir() {
        String fromEnv = System.getenv("ELT_TEST_TLS_DIR");
        return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "/var/lib/elt-cdc-tls");
    }

    /** The CA that signed the servers' certificates (PEM). */
    public static Path caFile() {
        return file("ca.crt");
    }

    /** A CA that signed none of them (PEM). */
    public static Path otherCaFile() {
        return file("other-ca.crt");
    }

    /** The client certificate of {@link #CERT_USER} (PEM). */
    public static Path clientCertFile() {
        return file("client.crt");
    }

    /** Its key, PKCS-8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static Path clientKeyPem() {
        return file("client.key");
    }

    /** Its key, PKCS-8 DER. */
    public static Path clientKeyDer() {
        return file("client.pk8");
    }

    /** A PKCS-12 key store (password {@link #MYSQL_PASSWORD}) for the tests' own HTTPS servers: 127.0.0.1. */
    public static Path httpsKeyStore() {
        return file("https.p12");
    }

    private static Path file(String name) {
        Path p = dir().resolve(name);
        if (!Files.isReadable(p)) {
            throw new IllegalStateException(p + " is missing: the TLS tests need the servers that scripts/test.sh"
                    + " sets up (scripts/lib/tls.sh), or ELT_TEST_TLS_DIR naming the folder of those files");
        }
        return p;
    }
}
