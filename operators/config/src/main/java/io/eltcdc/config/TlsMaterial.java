package io.eltcdc.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificate and key files of a {@code tls} block in the forms the drivers read, made with the
 * JDK alone (X.509 and PKCS-8 parsing, PKCS-12 key stores): pgjdbc reads a PKCS-8 DER key, MySQL
 * Connector/J and Debezium's MySQL connector read PKCS-12 trust and key stores. Converted files are
 * temporary, readable by this user only, made once per JVM (where the connection opens, so also on a
 * cluster's machines) and deleted at exit; their passwords are random and never printed.
 */
public final class TlsMaterial {
    private static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final Map<String, Object> MADE = new ConcurrentHashMap<>();

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
        return (String) MADE.computeIfAbsent("pk8:" + file, k -> {
            byte[] der = pkcs8Der(key, Path.of(file));
            try {
                if (Arrays.equals(der, Files.readAllBytes(Path.of(file)))) {
                    return file;
                }
                return write(".pk8", out -> out.write(der));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A PKCS-12 trust store with the certificates of {@code caFile}. */
    public static Store trustStore(String caFile) {
        return (Store) MADE.computeIfAbsent("trust:" + caFile, k -> {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (Certificate c : certificates(Path.of(caFile))) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
                return store(ks);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot make a trust store of " + caFile + ": " + e.getMessage(), e);
            }
        });
    }

    /** A PKCS-12 key store with the client certificate (chain) and its key. */
    public static Store keyStore(String key, String certFile, String keyFile) {
        return (Store) MADE.computeIfAbsent("key:" + certFile + ":" + keyFile, k -> {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                PrivateKey pk = privateKey(key, Path.of(keyFile));
                String password = password();
                ks.setKeyEntry(
                        "client",
                        pk,
                        password.toCharArray(),
                        certificates(Path.of(certFile)).toArray(Certificate[]::new));
                return store(ks, password);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot make a key store of " + certFile + ": " + e.getMessage(), e);
            }
        });
    }

    private static Store store(KeyStore ks) throws IOException, GeneralSecurityException {
        return store(ks, password());
    }

    private static Store store(KeyStore ks, String password) throws IOException {
        String file = write(".p12", out -> {
            try {
                ks.store(out, password.toCharArray());
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        });
        return new Store(file, password);
    }

    private static String password() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static String write(String suffix, Writer writer) throws IOException {
        Path file;
        try {
            file = Files.createTempFile(
                    "elt-cdc-tls-",
                    suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            file = Files.createTempFile("elt-cdc-tls-", suffix);
        }
        file.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.write(out);
        }
        return file.toString();
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
