package io.eltcdc.staging;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.PathSegments;
import io.eltcdc.model.TableId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Puts each record in the bucket {@code <schema>.<table>/<schema version>}, so a part file holds
 * one table at one schema version. Names are escaped to characters that are safe in every file
 * system, object store key and URI ({@code ~XX} for anything else: a {@code %} would be
 * encoded again each time a path passes through a URI), so quoted identifiers with spaces,
 * slashes or dots cannot collide or escape the staging folder.
 */
public final class TableBucketAssigner implements BucketAssigner<ChangeRecord, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(ChangeRecord record, Context context) {
        return bucketOf(record.table(), record.schemaVersion());
    }

    public static String bucketOf(TableId table, String schemaVersion) {
        return escape(table.schema()) + "." + escape(table.table()) + "/" + schemaVersion;
    }

    /** The table whose files a bucket holds: the inverse of {@link #bucketOf}. */
    public static TableId tableOf(String bucketId) {
        int slash = bucketId.indexOf('/');
        String tablePart = slash < 0 ? bucketId : bucketId.substring(0, slash);
        int dot = tablePart.indexOf('.'); // escaped names contain no dots
        if (dot < 0) {
            throw new IllegalArgumentException("not a staging bucket id: " + bucketId);
        }
        return new TableId(unescape(tablePart.substring(0, dot)), unescape(tablePart.substring(dot + 1)));
    }

    /**
     * Flink's string serializer (version 1: length, UTF-8 bytes; no magic number). Flink 1.20's
     * FileSink never calls this: its writer state writes bucket ids with this same serializer of its
     * own accord, so bucket ids in checkpoints are in Flink's format whatever is returned here.
     * {@code TableBucketAssignerTest} pins that format with a fixture.
     */
    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    /** Escapes one path segment: {@code [A-Za-z0-9_-]} stay, every other UTF-8 byte is {@code ~XX}. */
    public static String escape(String name) {
        return PathSegments.escape(name);
    }

    static String unescape(String escaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '~') {
                bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
