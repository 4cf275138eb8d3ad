package io.eltcdc.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificate and key files of a {@code tls} block in the forms the drivers read, made with the
 * JDK alone (X.509 and PKCS-8 parsing, PKCS-12 key stores): pgjdbc reads a PKCS-8 DER key, MySQL
 * Connector/J and Debezium's MySQL connector read PKCS-12 trust and key stores. Converted files are
 * written to {@code java.io.tmpdir}, readable by this user only, once per JVM; their names and
 * passwords follow from their content, so settings made on one machine name the files another
 * writes for itself ({@link TlsSettings#prepareFiles}). Passwords are never printed.
 */
public final class TlsMaterial {
    private static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final Map<String, Store> MADE = new ConcurrentHashMap<>();

    private TlsMaterial() {}

    /** A PKCS-12 store on disk and its password. */
    public record Store(String file, String password) {
        public String url() {
            return Path.of(file).toUri().toString();
        }

        @Override
        public String toString() {
            return "Store{" + file + "}";
        }
    }

    /** Checks that {@code file} holds at least one X.509 certificate (PEM or DER). */
    static void checkCertificates(String key, Path file) throws ConfigException {
        try {
            if (certificates(file).isEmpty()) {
                throw new ConfigException(
                        key, "no certificate in " + file + " (expected PEM -----BEGIN CERTIFICATE-----)");
            }
        } catch (CertificateException | IOException e) {
            throw new ConfigException(
                    key, "cannot read a certificate from " + file + " (expected PEM or DER X.509): " + e.getMessage());
        }
    }

    /** Checks that {@code file} holds an unencrypted PKCS-8 private key the JDK reads. */
    static void checkPrivateKey(String key, Path file) throws ConfigException {
        try {
            privateKey(key, file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /** The key as a PKCS-8 DER file: {@code file} itself when it is one, else a converted copy. */
    public static String pkcs8DerKey(String key, String file) {
        byte[] der = pkcs8Der(key, Path.of(file));
        try {
            if (Arrays.equals(der, Files.readAllBytes(Path.of(file)))) {
                return file;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return made("pk8", der, ".pk8", password -> der).file();
    }

    /** A PKCS-12 trust store with the certificates of {@code caFile}. */
    public static Store trustStore(String caFile) {
        byte[] input = read(Path.of(caFile));
        return made("trust", input, ".p12", password -> {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certificates(Path.of(caFile))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return bytes(ks, password);
        });
    }

    /**
     * Makes the JVM's default trust (what clients without a trust store of their own use, e.g. the
     * S3 file system's HTTP client) the JDK's CAs, or those of {@code javax.net.ssl.trustStore},
     * plus the certificates of {@code caFile}: a PKCS-12 store named by the system properties
     * {@code javax.net.ssl.trustStore*}, which the JDK reads whenever a client makes its TLS context.
     */
    public static synchronized void addToJvmTrust(String caFile) {
        if (caFile.equals(System.getProperty("elt-cdc.tls.jvm-trust-ca"))) {
            return;
        }
        String baseFile = System.getProperty("javax.net.ssl.trustStore");
        String basePassword = System.getProperty("javax.net.ssl.trustStorePassword");
        Path base = baseFile != null
                ? Path.of(baseFile)
                : Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        byte[] ca = read(Path.of(caFile));
        byte[] basePath = base.toString().getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(ca, ca.length + basePath.length);
        System.arraycopy(basePath, 0, input, ca.length, basePath.length);
        Store store = made("jvm-trust", input, ".p12", password -> {
            KeyStore defaults =
                    KeyStore.getInstance(base.toFile(), basePassword == null ? null : basePassword.toCharArray());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (String alias : Collections.list(defaults.aliases())) {
                if (defaults.isCertificateEntry(alias)) {
                    ks.setCertificateEntry(alias, defaults.getCertificate(alias));
                }
            }
            int i = 0;
            for (Certificate c : certificates(Path.of(caFile))) {
                ks.setCertificateEntry("elt-cdc-ca-" + i++, c);
            }
            return bytes(ks, password);
        });
        System.setProperty("javax.net.ssl.trustStore", store.file());
        System.setProperty("javax.net.ssl.trustStorePassword", store.password());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("elt-cdc.tls.jvm-trust-ca", caFile);
    }

    /** A PKCS-12 key store with the client certificate (chain) and its key. */
    public static Store keyStore(String key, String certFile, String keyFile) {
        byte[] cert = read(Path.of(certFile));
        byte[] pk = read(Path.of(keyFile));
        byte[] input = Arrays.copyOf(cert, cert.length + pk.length);
        System.arraycopy(pk, 0, input, cert.length, pk.length);
        return made("key", input, ".p12", password -> {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(
                    "client",
                    privateKey(key, Path.of(keyFile)),
                    password.toCharArray(),
                    certificates(Path.of(certFile)).toArray(Certificate[]::new));
            return bytes(ks, password);
        });
    }

    private interface Content {
        byte[] make(String password) throws IOException, GeneralSecurityException;
    }

    /**
     * The converted file for {@code input}, written once per JVM. Its name and password follow from
     * the input, so the settings a job manager computes name the files a task manager writes.
     */
    private static Store made(String kind, byte[] input, String suffix, Content content) {
        byte[] digest = sha256(kind, input);
        String id = HexFormat.of().formatHex(digest, 0, 12);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("password", digest));
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "elt-cdc-tls-" + kind + "-" + id + suffix);
        return MADE.computeIfAbsent(file.toString(), k -> {
            try {
                write(file, content.make(password));
                return new Store(file.toString(), password);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
            }
        });
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp;
        try {
            tmp = Files.createTempFile(
                    file.getParent(),
                    "elt-cdc-tls-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(file.getParent(), "elt-cdc-tls-", ".tmp");
        }
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] bytes(KeyStore ks, String password) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password.toCharArray());
        return out.toByteArray();
    }

    private static byte[] sha256(String kind, byte[] input) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(kind.getBytes(StandardCharsets.UTF_8));
            md.update(input);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Certificate> certificates(Path file) throws IOException, CertificateException {
        Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
        return new ArrayList<>(found);
    }

    private static byte[] pkcs8Der(String key, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN")) {
            int start = text.indexOf(PEM_KEY);
            if (start < 0) {
                String kind = text.substring(text.indexOf("-----BEGIN") + 11).split("-----", 2)[0];
                throw new IllegalArgumentException(
                        "expected an unencrypted PKCS-8 key (-----BEGIN PRIVATE KEY-----) in "
                                + file + ", found " + kind + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in "
                                + file
                                + " -out key.pk8 -outform DER");
            }
            int end = text.indexOf("-----END PRIVATE KEY-----", start);
            String base64 = text.substring(start + PEM_KEY.length(), end < 0 ? text.length() : end);
            return Base64.getMimeDecoder().decode(base64);
        }
        return bytes;
    }

    private static PrivateKey privateKey(String key, Path file) {
        byte[] der = pkcs8Der(key, file);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("cannot read a private key from " + file
                + " (expected unencrypted PKCS-8, PEM -----BEGIN PRIVATE KEY----- or DER); convert it with:"
                + " openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pk8 -outform DER");
    }
}
