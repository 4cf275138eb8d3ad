package io.eltcdc.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folder locations as Flink file system URIs: {@code file:///dir}, {@code s3://bucket/prefix} or
 * {@code s3a://bucket/prefix}. A plain absolute path becomes {@code file://} + path (not
 * percent-encoded: Flink's {@code Path} takes the text as is).
 */
public final class StorageUris {
    static final List<String> SCHEMES = List.of("file", "s3", "s3a");
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    private static final String EXPECTED = "an absolute path, file:///dir, s3://bucket/prefix or s3a://bucket/prefix";

    private StorageUris() {}

    public static String normalize(String path, String value) throws ConfigException {
        String v = value.trim();
        if (v.startsWith("/")) {
            return "file://" + v;
        }
        Matcher m = SCHEME.matcher(v);
        if (!m.matches()) {
            throw new ConfigException(
                    path,
                    "expected " + EXPECTED + ", got the relative path " + Found.quote(v)
                            + (v.startsWith("~") ? " (~ is not expanded)" : ""));
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String rest = m.group(2);
        switch (scheme) {
            case "file":
                return file(path, v, rest);
            case "s3":
            case "s3a":
                return s3(path, v, scheme, rest);
            default:
                throw new ConfigException(
                        path,
                        "unsupported scheme \"" + m.group(1) + "\" in " + Found.quote(v) + "; expected " + EXPECTED);
        }
    }

    public static boolean isS3(String uri) {
        return uri != null && (uri.startsWith("s3://") || uri.startsWith("s3a://"));
    }

    private static String file(String path, String value, String rest) throws ConfigException {
        String local = rest;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String host = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new ConfigException(
                        path,
                        "expected " + EXPECTED + ", got " + Found.quote(value)
                                + ", which names host \"" + host + "\"; a local folder needs three slashes: file:///"
                                + rest.substring(2));
            }
            local = slash < 0 ? "" : rest.substring(slash);
        }
        if (!local.startsWith("/")) {
            throw new ConfigException(
                    path, "expected " + EXPECTED + ", got " + Found.quote(value) + ", which is not an absolute path");
        }
        return "file://" + local;
    }

    private static String s3(String path, String value, String scheme, String rest) throws ConfigException {
        if (!rest.startsWith("//")) {
            throw new ConfigException(path, "expected " + scheme + "://bucket/prefix, got " + Found.quote(value));
        }
        int slash = rest.indexOf('/', 2);
        String bucket = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
        if (bucket.isEmpty()) {
            throw new ConfigException(
                    path,
                    "expected " + scheme + "://bucket/prefix, got " + Found.quote(value) + ", which names no bucket");
        }
        return scheme + ":" + rest;
    }
}
