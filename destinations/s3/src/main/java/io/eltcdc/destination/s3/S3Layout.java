package io.eltcdc.destination.s3;

import io.eltcdc.model.TableId;
import io.eltcdc.staging.TableBucketAssigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.flink.core.fs.Path;

/**
 * Where the S3 destination puts things under its root ({@code s3://bucket/prefix} or
 * {@code file:///dir}):
 *
 * <pre>
 * root/&lt;schema&gt;/&lt;table&gt;/&lt;batch id&gt;-&lt;source file hash&gt;.avro     data files
 * root/&lt;schema&gt;/&lt;table&gt;/_manifests/&lt;batch id&gt;.json              one per batch, written last
 * root/&lt;schema&gt;/&lt;table&gt;/_schemas/&lt;schema version&gt;.avsc          the table's Avro schema per version
 * </pre>
 *
 * Schema and table names are escaped like staging bucket names: letters, digits, {@code _} and
 * {@code -} stay, every other byte of the UTF-8 name becomes {@code ~XX} (hex), so {@code hidden.Odd Table}
 * is {@code hidden/Odd~20Table}. Names are deterministic: the same batch and staged file always
 * give the same data file name, which is what makes a repeated batch overwrite instead of adding.
 */
public final class S3Layout {
    public static final String MANIFESTS = "_manifests";
    public static final String SCHEMAS = "_schemas";
    public static final String AVRO_SUFFIX = ".avro";
    public static final String MANIFEST_SUFFIX = ".json";

    private final String root;

    /** @param root the destination's folder URI; trailing slashes are ignored */
    public S3Layout(String root) {
        Objects.requireNonNull(root, "root");
        String r = root.trim();
        while (r.endsWith("/") && !r.endsWith("://")) {
            r = r.substring(0, r.length() - 1);
        }
        this.root = r;
    }

    public String root() {
        return root;
    }

    /** {@code root/<schema>/<table>}. */
    public Path tableDir(TableId table) {
        return new Path(root + "/" + escape(table.schema()) + "/" + escape(table.table()));
    }

    /** {@code <table dir>/_manifests}. */
    public Path manifestDir(TableId table) {
        return new Path(tableDir(table), MANIFESTS);
    }

    /** {@code <table dir>/_manifests/<batchId>.json}. */
    public Path manifest(TableId table, String batchId) {
        return new Path(manifestDir(table), checkedBatchId(batchId) + MANIFEST_SUFFIX);
    }

    /** {@code <table dir>/_schemas/<version>.avsc}. */
    public Path schemaFile(TableId table, String schemaVersion) {
        return new Path(new Path(tableDir(table), SCHEMAS), escape(schemaVersion) + ".avsc");
    }

    /**
     * The name (inside the table's folder) of the copy of staged file {@code sourcePath} made by batch
     * {@code batchId}: {@code <batchId>-<first 16 hex digits of SHA-256(sourcePath)>.avro}.
     */
    public static String dataFileName(String batchId, String sourcePath) {
        return checkedBatchId(batchId) + "-" + sha256Hex(sourcePath).substring(0, 16) + AVRO_SUFFIX;
    }

    /** Escapes one path segment as staging bucket names are escaped ({@link TableBucketAssigner#escape}). */
    public static String escape(String name) {
        return TableBucketAssigner.escape(name);
    }

    private static String checkedBatchId(String batchId) {
        if (batchId == null || batchId.isEmpty() || !escape(batchId).equals(batchId)) {
            throw new IllegalArgumentException("batch id must be letters, digits, _ and -: " + batchId);
        }
        return batchId;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return root;
    }
}
