package io.eltcdc.destination.duckdb;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.destination.DestinationConfig;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.DestinationSection;
import io.eltcdc.destination.StagingLocation;
import java.util.List;
import java.util.regex.Pattern;

/** {@code type: duckdb}: a local DuckDB database file, the embedded default. */
public final class DuckDbDestinationProvider implements DestinationProvider {
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public List<String> keys() {
        return List.of("path", "schema", "delete-mode");
    }

    @Override
    public boolean canReplaceTables() {
        return true;
    }

    /** A DuckDB file has one writer: loads of several tables run one after another. */
    @Override
    public int defaultLoadParallelism() {
        return 1;
    }

    @Override
    public int maxLoadParallelism() {
        return 1;
    }

    @Override
    public DestinationConfig parse(ConfigNode section, StagingLocation staging) throws ConfigException {
        String path = DestinationSection.required(section, "path", this, "the path of the database file")
                .trim();
        if (URI.matcher(path).matches()) {
            throw section.error("path", "expected a local file path for the duckdb database, got " + Found.quote(path));
        }
        return new DuckDbConfig(path, DestinationSection.schema(section), DestinationSection.deleteMode(section));
    }
}
