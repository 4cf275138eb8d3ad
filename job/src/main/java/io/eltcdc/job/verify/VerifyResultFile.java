package io.eltcdc.job.verify;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.model.PathSegments;
import io.eltcdc.staging.StagingFileSystems;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The last verification's result, as a small JSON file beside the pipeline's other control files
 * ({@code <staging.path>/_control/<pipeline>/verify-result.json}), where monitoring (or the running
 * pipeline) can read it: when it ran, how many tables were compared, which differed.
 */
public final class VerifyResultFile {
    static final String NAME = "verify-result.json";

    private VerifyResultFile() {}

    /** Writes the file; returns its path. */
    public static String write(PipelineConfig config, List<TableResult> results, Instant finished) throws IOException {
        StagingFileSystems.initialize(FlinkSettings.forLocalRun(config));
        String staging = config.staging().path();
        Path file = new Path((staging.endsWith("/") ? staging.substring(0, staging.length() - 1) : staging)
                + "/_control/" + PathSegments.escape(config.pipeline().name()) + "/" + NAME);
        try (OutputStream out = file.getFileSystem().create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write(json(config.pipeline().name(), results, finished).getBytes(StandardCharsets.UTF_8));
        }
        return file.toString();
    }

    static String json(String pipeline, List<TableResult> results, Instant finished) {
        return "{\"pipeline\": " + quote(pipeline)
                + ", \"finishedAt\": " + quote(finished.toString())
                + ", \"lastVerificationEpochSeconds\": " + finished.getEpochSecond()
                + ", \"verifiedTables\": "
                + results.stream().filter(r -> r.error() == null).count()
                + ", \"driftedTables\": "
                + results.stream().filter(r -> r.error() == null && !r.equal()).count()
                + ", \"tablesNotCompared\": "
                + results.stream().filter(r -> r.error() != null).count()
                + ", \"drifted\": "
                + list(results.stream()
                        .filter(r -> r.error() == null && !r.equal())
                        .toList())
                + ", \"notCompared\": "
                + list(results.stream().filter(r -> r.error() != null).toList())
                + "}\n";
    }

    private static String list(List<TableResult> results) {
        return results.stream().map(r -> quote(r.table().toString())).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }
}
