package io.eltcdc.job.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * A one-line file in the pipeline's state dir (local or S3), for what a run must know of earlier
 * runs beside their checkpoints.
 */
final class StateDirFile {
    private final Path file;

    StateDirFile(String stateDir, String name) {
        this.file = new Path(stateDir, name);
    }

    /** The line, or empty when there is no such file. */
    Optional<String> read() throws IOException {
        FileSystem fs = file.getFileSystem();
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        try (var in = fs.open(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    void write(String line) throws IOException {
        try (OutputStream out = file.getFileSystem().create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    String location() {
        return file.toString();
    }
}
