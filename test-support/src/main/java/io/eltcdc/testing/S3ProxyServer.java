package io.eltcdc.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;

/** A real S3 API for tests: S3Proxy in the test's JVM, storing objects in a local folder. */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret";

    private S3Proxy proxy;
    private final BlobStore store;
    private final Path keyStore;
    private final String password;
    private final String secretKey;
    private final int port;

    private S3ProxyServer(S3Proxy proxy, BlobStore store, Path keyStore, String password, String secretKey) {
        this.proxy = proxy;
        this.store = store;
        this.keyStore = keyStore;
        this.password = password;
        this.secretKey = secretKey;
        this.port = keyStore == null ? proxy.getPort() : proxy.getSecurePort();
    }

    public static S3ProxyServer start(Path folder) throws Exception {
        return start(folder, null, null, SECRET_KEY);
    }

    /** Takes {@code secretKey} (with {@link #ACCESS_KEY}) instead of {@link #SECRET_KEY}: tests that trace a key. */
    public static S3ProxyServer startWithSecretKey(Path folder, String secretKey) throws Exception {
        return start(folder, null, null, secretKey);
    }

    /**
     * Serves HTTPS only, with the key and certificate of {@code keyStore} (PKCS-12), e.g. {@link
     * TestTls#httpsKeyStore()}: a certificate for 127.0.0.1 signed by the test CA.
     */
    public static S3ProxyServer startHttps(Path folder, Path keyStore, String password) throws Exception {
        return start(folder, keyStore, password, SECRET_KEY);
    }

    private static S3ProxyServer start(Path folder, Path keyStore, String password, String secretKey) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", folder.toString());
        BlobStore store = ContextBuilder.newBuilder("filesystem")
                .credentials(ACCESS_KEY, secretKey)
                .overrides(props)
                .build(BlobStoreContext.class)
                .getBlobStore();
        return new S3ProxyServer(serve(store, 0, keyStore, password, secretKey), store, keyStore, password, secretKey);
    }

    private static S3Proxy serve(BlobStore store, int port, Path keyStore, String password, String secretKey)
            throws Exception {
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, secretKey);
        if (keyStore == null) {
            builder.endpoint(URI.create("http://127.0.0.1:" + port));
        } else {
            builder.secureEndpoint(URI.create("https://127.0.0.1:" + port)).keyStore(keyStore.toString(), password);
        }
        S3Proxy proxy = builder.build();
        proxy.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!proxy.getState().equals("STARTED")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return proxy;
    }

    /** Stops serving: connections are refused until {@link #startAgain}; the objects stay. */
    public synchronized void stop() throws Exception {
        proxy.stop();
    }

    /** Serves the same objects again, on the same port, as an S3 endpoint back from a restart. */
    public synchronized void startAgain() throws Exception {
        proxy = serve(store, port, keyStore, password, secretKey);
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://…} for a server started with {@link #startHttps}. */
    public String endpoint() {
        return (keyStore == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public void createBucket(String bucket) {
        store.createContainerInLocation(null, bucket);
    }

    /** Keys of the objects under {@code prefix} in {@code bucket}, sorted. */
    public List<String> keys(String bucket, String prefix) {
        return store.list(bucket, ListContainerOptions.Builder.prefix(prefix).recursive()).stream()
                .filter(m -> m.getType() == StorageType.BLOB)
                .map(m -> m.getName())
                .sorted()
                .toList();
    }

    /** Number of objects under {@code prefix} in {@code bucket}. */
    public long countObjects(String bucket, String prefix) {
        return keys(bucket, prefix).size();
    }

    /** The Flink settings of flink-s3-fs-hadoop for this server. */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", endpoint());
        conf.setString("s3.access-key", ACCESS_KEY);
        conf.setString("s3.secret-key", secretKey);
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.directory.marker.retention", "keep");
        return conf;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
