package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.StorageUris;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the {@code pipeline} section. */
final class PipelineParser {
    static final List<String> KEYS = List.of("name", "parallelism", "checkpoint-interval", "state-dir");
    static final int MAX_PARALLELISM = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private PipelineParser() {}

    static PipelineSettings parse(ConfigNode node) throws ConfigException {
        node.checkNoUnknownKeys(KEYS);
        String name = node.requiredString("name");
        if (!NAME.matcher(name).matches()) {
            throw node.error(
                    "name",
                    "expected letters, digits, _ and - (starting with a letter or digit), got " + Found.quote(name)
                            + "; the name is used in file names and ledger rows");
        }
        int parallelism = node.optionalInt("parallelism", 1, 1, MAX_PARALLELISM);
        Duration checkpointInterval = node.optionalDuration("checkpoint-interval", Duration.ofSeconds(10));
        String stateDir = node.optionalString("state-dir");
        if (stateDir != null) {
            stateDir = StorageUris.normalize(node.pathOf("state-dir"), stateDir);
        }
        return new PipelineSettings(name, parallelism, checkpointInterval, stateDir);
    }
}
