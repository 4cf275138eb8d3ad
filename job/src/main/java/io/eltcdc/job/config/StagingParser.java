package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.Secret;
import io.eltcdc.config.StorageUris;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.sink.StagingRetention;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.MemorySize;

/** Reads the {@code staging} section and its {@code s3} subsection. */
final class StagingParser {
    static final List<String> KEYS =
            List.of("path", "roll-size", "roll-interval", "inactivity-interval", "compression", "retention", "s3");
    static final List<String> S3_KEYS =
            List.of("endpoint", "access-key", "secret-key", "path-style-access", "region", "ca-file");
    static final List<String> COMPRESSIONS = List.of("none", "deflate", "snappy");

    private StagingParser() {}

    /** @param pipeline the S3 settings also serve an s3:// {@code pipeline.state-dir} */
    static StagingSettings parse(ConfigNode node, PipelineSettings pipeline) throws ConfigException {
        node.checkNoUnknownKeys(KEYS);
        String path = StorageUris.normalize(node.pathOf("path"), node.requiredString("path"));
        MemorySize rollSize = node.optionalSize("roll-size", MemorySize.parse("64mb"));
        Duration rollInterval = node.optionalDuration("roll-interval", Duration.ofSeconds(60));
        Duration inactivityInterval = node.optionalDuration("inactivity-interval", Duration.ofSeconds(15));
        String compression = node.optionalChoice("compression", "none", COMPRESSIONS);
        StagingRetention retention = retention(node);
        ConfigNode s3Node = node.optionalSection("s3");
        S3Settings s3 = null;
        if (s3Node != null) {
            if (!StorageUris.isS3(path) && !StorageUris.isS3(pipeline.stateDir())) {
                throw new ConfigException(
                        s3Node.path(),
                        "an s3 section needs an s3:// or s3a:// "
                                + node.pathOf("path") + " (or pipeline.state-dir), but " + node.pathOf("path") + " is "
                                + Found.quote(path) + "; remove the section or stage to S3");
            }
            s3 = s3(s3Node);
        }
        return new StagingSettings(path, rollSize, rollInterval, inactivityInterval, compression, retention, s3);
    }

    /** {@code retention}: {@code delete} (the default), {@code keep}, or a duration to keep files after their load. */
    private static StagingRetention retention(ConfigNode node) throws ConfigException {
        String raw =
                node.has("retention") ? node.optionalStringOrNumber("retention").trim() : "delete";
        switch (raw) {
            case "delete":
                return StagingRetention.delete();
            case "keep":
                return StagingRetention.keep();
            default:
                try {
                    return StagingRetention.after(node.optionalDuration("retention", null));
                } catch (ConfigException e) {
                    throw node.error(
                            "retention",
                            "expected delete, keep, or how long to keep loaded files (such as 7d), got "
                                    + Found.quote(raw));
                }
        }
    }

    private static S3Settings s3(ConfigNode node) throws ConfigException {
        node.checkNoUnknownKeys(S3_KEYS);
        String endpoint = node.optionalString("endpoint");
        if (endpoint != null) {
            endpoint = endpoint.trim();
            int scheme = endpoint.indexOf("://");
            String s = scheme < 0 ? null : endpoint.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (s != null && !s.equals("http") && !s.equals("https")) {
                throw node.error("endpoint", "expected an http:// or https:// URL, got " + Found.quote(endpoint));
            }
        }
        String accessKey = node.optionalString("access-key");
        Secret secretKey = node.optionalSecret("secret-key");
        if (accessKey != null && secretKey == null) {
            throw node.error("secret-key", "required key is missing (access-key is set, and the two go together)");
        }
        if (accessKey == null && secretKey != null) {
            throw node.error("access-key", "required key is missing (secret-key is set, and the two go together)");
        }
        boolean pathStyleAccess = node.optionalBoolean("path-style-access", false);
        String region = node.optionalString("region");
        String caFile = TlsSettings.caFile(node, "ca-file");
        return new S3Settings(endpoint, accessKey, secretKey, pathStyleAccess, region, caFile);
    }
}
