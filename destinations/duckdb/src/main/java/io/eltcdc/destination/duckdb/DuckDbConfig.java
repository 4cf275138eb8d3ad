package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationCheckException;
import io.eltcdc.destination.DestinationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A duckdb destination section.
 *
 * @param path the database file (created with its folders when missing)
 * @param schema the schema of every target table, or null for each source table's schema
 */
public record DuckDbConfig(String path, String schema, DeleteMode deleteMode) implements DestinationConfig {
    private static final long serialVersionUID = 1L;

    public DuckDbConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(deleteMode, "deleteMode");
    }

    @Override
    public Destination create() {
        return new DuckDbDestination(path, schema, deleteMode);
    }

    /** The database file's folder can be created (the file itself is created at the first load). */
    @Override
    public void check() throws DestinationCheckException {
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DestinationCheckException("destination.path: cannot create folder " + parent + ": " + e);
        }
    }
}
