package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Suggestions;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.StagingLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code destination} section: its {@code type} picks the {@link DestinationProvider},
 * which reads the type's own keys; {@code load-interval} and {@code load-parallelism} are read here,
 * as they apply to every type.
 * No destination is named here: the types are the providers on the class path.
 */
final class DestinationParser {
    /** {@code load-interval} value that loads at every checkpoint. */
    static final String EVERY_CHECKPOINT = "every-checkpoint";

    private DestinationParser() {}

    static DestinationSettings parse(ConfigNode node, StagingSettings staging) throws ConfigException {
        DestinationProviders providers = DestinationProviders.installed();
        String type = type(node, providers);
        DestinationProvider provider = providers.forType(type);
        checkKeys(node, provider, providers);
        Duration loadInterval = loadInterval(node);
        int loadParallelism = loadParallelism(node, provider);
        String endpoint = staging.s3() == null ? null : staging.s3().endpoint();
        return new DestinationSettings(
                type,
                provider.parse(node, new StagingLocation(staging.path(), endpoint)),
                loadInterval != null ? loadInterval : provider.defaultLoadInterval(),
                loadParallelism);
    }

    /**
     * {@code type}, one of the installed providers'. A type that is no typo of one may be a destination
     * whose jar was not added (the warehouses on a cluster): the message says how to add it.
     */
    private static String type(ConfigNode node, DestinationProviders providers) throws ConfigException {
        try {
            return node.requiredChoice("type", providers.types());
        } catch (ConfigException e) {
            String named =
                    node.has("type") ? node.optionalStringOrNumber("type").trim() : "";
            if (named.isEmpty() || Suggestions.closest(named, providers.types()) != null) {
                throw e; // absent, or a typo the message already points out
            }
            throw new ConfigException(
                    e.path(),
                    e.reason() + "; a destination that is not in the job jar is a jar of its own: add elt-cdc-"
                            + named.toLowerCase(Locale.ROOT)
                            + ".jar to the job's class path (see \"Which jar is for what\" in the README)");
        }
    }

    /**
     * Every key must be one of the type's: a key another type takes "does not apply" (a common slip
     * when switching types), any other is unknown, with a suggestion.
     */
    private static void checkKeys(ConfigNode node, DestinationProvider provider, DestinationProviders providers)
            throws ConfigException {
        List<String> own = keysOf(provider);
        for (String key : node.keys()) {
            if (own.contains(key)) {
                continue;
            }
            if (providers.anyTakes(key)) {
                throw new ConfigException(
                        node.path(),
                        "key \"" + key + "\" does not apply to " + provider.describe() + " (its keys: "
                                + String.join(", ", own) + ")");
            }
            throw new ConfigException(
                    node.path(),
                    "unknown key \"" + key + "\" (known keys: " + String.join(", ", own)
                            + Suggestions.didYouMean(key, own) + ")");
        }
    }

    /** {@code type}, the provider's keys, the keys of every type: the order messages list them in. */
    static List<String> keysOf(DestinationProvider provider) {
        List<String> keys = new ArrayList<>();
        keys.add("type");
        keys.addAll(provider.keys());
        keys.add("load-interval");
        keys.add("load-parallelism");
        return keys;
    }

    /** {@code load-parallelism}: at most what the type allows (1 for a single-writer database). */
    private static int loadParallelism(ConfigNode node, DestinationProvider provider) throws ConfigException {
        int parallelism = node.optionalInt("load-parallelism", provider.defaultLoadParallelism(), 1, 1024);
        int max = provider.maxLoadParallelism();
        if (parallelism > max) {
            throw node.error(
                    "load-parallelism",
                    provider.describe() + " runs at most " + max + (max == 1 ? " load" : " loads") + " at once, got "
                            + parallelism + "; set it to " + max + " or remove the key");
        }
        return parallelism;
    }

    /**
     * {@code load-interval}: a duration, or {@value #EVERY_CHECKPOINT}; null when absent (the type's
     * default then applies).
     */
    private static Duration loadInterval(ConfigNode node) throws ConfigException {
        if (node.has("load-interval") && EVERY_CHECKPOINT.equals(node.optionalStringOrNumber("load-interval"))) {
            return Duration.ZERO;
        }
        return node.optionalDuration("load-interval", null);
    }
}
