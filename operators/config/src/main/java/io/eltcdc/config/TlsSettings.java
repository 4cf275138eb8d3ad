package io.eltcdc.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A {@code tls} block of the pipeline file ({@code source.tls}, {@code destination.tls}): how a
 * connection is encrypted and which server it trusts. Parsed once here for the source and every
 * destination ({@link #parse}); the drivers' own keys come from {@link #addPgjdbcProperties} and
 * {@link TlsMaterial}.
 *
 * @param path the block's key, for messages: {@code source.tls}
 * @param mode how far the connection is checked
 * @param caFile PEM file of the CA(s) that signed the server's certificate; null unless verify-ca or
 *     verify-full
 * @param certFile PEM file of the client certificate (certificate authentication); null for none
 * @param keyFile the client certificate's private key, PKCS-8 (PEM {@code BEGIN PRIVATE KEY} or DER);
 *     null for none
 */
public record TlsSettings(String path, Mode mode, String caFile, String certFile, String keyFile)
        implements Serializable {

    public static final List<String> KEYS = List.of("mode", "ca-file", "cert-file", "key-file");

    /** How far a TLS connection is checked; the names are libpq's. */
    public enum Mode {
        /** No TLS: a server that requires it refuses the connection. */
        DISABLE("disable"),
        /** TLS, without checking the server's certificate. */
        REQUIRE("require"),
        /** TLS; the server's certificate must be signed by {@code ca-file}. */
        VERIFY_CA("verify-ca"),
        /** As verify-ca, and the certificate must name the host connected to. */
        VERIFY_FULL("verify-full");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public boolean encrypts() {
            return this != DISABLE;
        }

        public boolean verifiesCa() {
            return this == VERIFY_CA || this == VERIFY_FULL;
        }

        static List<String> texts() {
            return List.of(DISABLE.text, REQUIRE.text, VERIFY_CA.text, VERIFY_FULL.text);
        }

        static Mode of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * The block under {@code key} of {@code parent}, or null when the pipeline has none (the
     * drivers' defaults then apply). Every file named must be readable here: the connection that
     * checks the pipeline before the start opens them.
     */
    public static TlsSettings parse(ConfigNode parent, String key) throws ConfigException {
        ConfigNode node = parent.optionalSection(key);
        if (node == null) {
            return null;
        }
        node.checkNoUnknownKeys(KEYS);
        Mode mode = Mode.of(node.optionalChoice("mode", Mode.VERIFY_FULL.text, Mode.texts()));
        String ca = file(node, "ca-file");
        String cert = file(node, "cert-file");
        String keyFile = file(node, "key-file");
        if (mode.verifiesCa() && ca == null) {
            throw node.error(
                    "ca-file",
                    "required with mode " + mode.text + ": the PEM file of the CA that signed the server's"
                            + " certificate (or set " + node.pathOf("mode") + ": require to skip the check)");
        }
        if (!mode.verifiesCa() && ca != null) {
            throw node.error(
                    "ca-file",
                    "is used only by mode verify-ca or verify-full (mode is " + mode.text
                            + "); set one of them or remove ca-file");
        }
        if ((cert == null) != (keyFile == null)) {
            String missing = cert == null ? "cert-file" : "key-file";
            throw node.error(
                    missing, "required with " + (cert == null ? "key-file" : "cert-file") + ": give both or neither");
        }
        if (cert != null && !mode.encrypts()) {
            throw node.error("cert-file", "a client certificate needs TLS (mode is disable); set a mode or remove it");
        }
        if (ca != null) {
            TlsMaterial.checkCertificates(node.pathOf("ca-file"), Path.of(ca));
        }
        if (cert != null) {
            TlsMaterial.checkCertificates(node.pathOf("cert-file"), Path.of(cert));
            TlsMaterial.checkPrivateKey(node.pathOf("key-file"), Path.of(keyFile));
        }
        return new TlsSettings(node.path(), mode, ca, cert, keyFile);
    }

    /**
     * An optional {@code ca-file} key outside a tls block ({@code staging.s3.ca-file}): an absolute
     * path to a readable PEM file of certificates, or null.
     */
    public static String caFile(ConfigNode node, String key) throws ConfigException {
        String ca = file(node, key);
        if (ca != null) {
            TlsMaterial.checkCertificates(node.pathOf(key), Path.of(ca));
        }
        return ca;
    }

    private static String file(ConfigNode node, String key) throws ConfigException {
        String value = node.optionalString(key);
        if (value == null) {
            return null;
        }
        Path p = Path.of(value.trim());
        if (!p.isAbsolute()) {
            throw node.error(key, "expected an absolute path, got " + Found.quote(value));
        }
        if (!Files.isRegularFile(p)) {
            throw node.error(key, "no such file: " + p);
        }
        try {
            Files.newInputStream(p).close();
        } catch (IOException e) {
            throw node.error(key, "cannot read " + p + ": " + e.getMessage());
        }
        return p.toString();
    }

    /**
     * pgjdbc's (and Debezium's PostgreSQL connector's, with {@code prefix} {@code database.}) keys:
     * {@code sslmode}, {@code sslrootcert}, {@code sslcert} and {@code sslkey} (the key as PKCS-8
     * DER, which pgjdbc reads; a PEM key is converted to a private temporary file).
     */
    public void addPgjdbcProperties(Properties p, String prefix) {
        p.setProperty(prefix + "sslmode", mode.text);
        if (caFile != null) {
            p.setProperty(prefix + "sslrootcert", caFile);
        }
        if (certFile != null) {
            p.setProperty(prefix + "sslcert", certFile);
            p.setProperty(prefix + "sslkey", TlsMaterial.pkcs8DerKey(path + ".key-file", keyFile));
        }
    }

    /**
     * Writes the converted forms of the files on this machine (see {@link TlsMaterial}): called
     * where a connection that another machine configured opens, e.g. by a task manager's change-log
     * reader.
     */
    public void prepareFiles() {
        if (caFile != null) {
            TlsMaterial.trustStore(caFile);
        }
        if (certFile != null) {
            TlsMaterial.pkcs8DerKey(path + ".key-file", keyFile);
            TlsMaterial.keyStore(path + ".key-file", certFile, keyFile);
        }
    }

    @Override
    public String toString() {
        return path + "{mode=" + mode.text
                + (caFile == null ? "" : ", ca-file=" + caFile)
                + (certFile == null ? "" : ", cert-file=" + certFile + ", key-file=" + keyFile)
                + '}';
    }
}
