package io.eltcdc.destination.redshift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A COPY manifest: the exact files COPY loads, each mandatory (a missing file fails the COPY
 * instead of loading less), so that a batch loads exactly its files and never others under the
 * same prefix. {@code {"entries":[{"url":"s3://bucket/key","mandatory":true}, …]}}.
 */
final class CopyManifest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CopyManifest() {}

    /** The manifest of {@code files} (their URIs as written; s3a:// and s3n:// become s3://). */
    static String json(List<String> files) {
        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode entries = manifest.putArray("entries");
        for (String file : files) {
            entries.addObject().put("url", s3Url(file)).put("mandatory", true);
        }
        return manifest.toString();
    }

    /** {@code uri} in the form COPY reads: {@code s3://bucket/key} (Hadoop's s3a:// and s3n:// name the same object). */
    static String s3Url(String uri) {
        for (String scheme : List.of("s3a://", "s3n://")) {
            if (uri.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return "s3://" + uri.substring(scheme.length());
            }
        }
        return uri;
    }
}
