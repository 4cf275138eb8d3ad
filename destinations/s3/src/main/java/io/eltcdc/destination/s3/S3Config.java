package io.eltcdc.destination.s3;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationCheckException;
import io.eltcdc.destination.DestinationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An s3 destination section.
 *
 * @param path the folder URI: {@code s3://bucket/prefix}, {@code s3a://…} or {@code file:///dir}
 * @param format the data files' format: {@code avro}, the only one so far
 */
public record S3Config(String path, String format) implements DestinationConfig {
    private static final long serialVersionUID = 1L;

    public S3Config {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
    }

    @Override
    public Destination create() {
        return new S3Destination(path);
    }

    /**
     * A local folder can be created. An s3:// path is checked only at the first load, once the job
     * has initialized its S3 file system.
     */
    @Override
    public void check() throws DestinationCheckException {
        if (!path.startsWith("file://")) {
            return;
        }
        Path folder = Path.of(path.substring("file://".length())); // "file://" + the absolute path, not encoded
        try {
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            throw new DestinationCheckException("destination.path: cannot create folder " + folder + ": " + e);
        }
    }
}
