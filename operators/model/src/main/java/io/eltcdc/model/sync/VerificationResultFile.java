package io.eltcdc.model.sync;

import io.eltcdc.model.PathSegments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The last {@code verify}'s result, a small JSON file beside the pipeline's other control files:
 * {@code <staging.path>/_control/<pipeline>/verify-result.json}. The command writes it; the running
 * pipeline reads it for its gauges, and monitoring may read it too.
 */
public final class VerificationResultFile implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "verify-result.json";

    private final String file;

    /**
     * What one verification found.
     *
     * @param finished when it ended
     * @param verifiedTables tables compared (equal or not)
     * @param drifted the compared tables that differ
     * @param notCompared the tables that could not be compared
     */
    public record Summary(Instant finished, int verifiedTables, List<String> drifted, List<String> notCompared) {
        public Summary {
            drifted = List.copyOf(drifted);
            notCompared = List.copyOf(notCompared);
        }
    }

    /** @param stagingPath the pipeline's {@code staging.path} */
    public VerificationResultFile(String stagingPath, String pipeline) {
        String root = stagingPath.endsWith("/") ? stagingPath.substring(0, stagingPath.length() - 1) : stagingPath;
        this.file = root + "/_control/" + PathSegments.escape(pipeline) + "/" + NAME;
    }

    public String path() {
        return file;
    }

    public void write(String pipeline, Summary summary) throws IOException {
        Path path = new Path(file);
        try (OutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(json(pipeline, summary).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The last result; empty when no verification has written one. */
    public Optional<Summary> read() throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem();
        if (!fs.exists(path)) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = fs.open(path)) {
            in.transferTo(bytes);
        }
        return Optional.of(parse(bytes.toString(StandardCharsets.UTF_8)));
    }

    static String json(String pipeline, Summary s) {
        return "{\"pipeline\": " + quote(pipeline)
                + ", \"finishedAt\": " + quote(s.finished().toString())
                + ", \"lastVerificationEpochSeconds\": " + s.finished().getEpochSecond()
                + ", \"verifiedTables\": " + s.verifiedTables()
                + ", \"driftedTables\": " + s.drifted().size()
                + ", \"tablesNotCompared\": " + s.notCompared().size()
                + ", \"drifted\": " + list(s.drifted())
                + ", \"notCompared\": " + list(s.notCompared())
                + "}\n";
    }

    /** Reads what {@link #json} wrote (the counts and the time; the names as far as they are plain). */
    static Summary parse(String json) {
        return new Summary(
                Instant.ofEpochSecond(number(json, "lastVerificationEpochSeconds")),
                (int) number(json, "verifiedTables"),
                names(json, "drifted"),
                names(json, "notCompared"));
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(NAME + " has no " + key);
        }
        return Long.parseLong(m.group(1));
    }

    private static List<String> names(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find() || m.group(1).isBlank()) {
            return List.of();
        }
        return Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(m.group(1))
                .results()
                .map(r -> r.group(1).replace("\\\"", "\"").replace("\\\\", "\\"))
                .toList();
    }

    private static String list(List<String> names) {
        return names.stream().map(VerificationResultFile::quote).collect(Collectors.joining(", ", "[", "]"));
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

    @Override
    public String toString() {
        return file;
    }
}
