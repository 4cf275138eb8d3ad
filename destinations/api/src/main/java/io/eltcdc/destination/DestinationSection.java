package io.eltcdc.destination;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the keys several destinations share, one way for all of them: {@code schema},
 * {@code delete-mode}, and required keys whose absence says what the destination needs them for.
 */
public final class DestinationSection {
    /** The values of {@code delete-mode}. */
    public static final List<String> DELETE_MODES =
            Arrays.stream(DeleteMode.values()).map(DeleteMode::configName).toList();

    private DestinationSection() {}

    /** {@code schema}: the target schema, or null for the destination's default. */
    public static String schema(ConfigNode section) throws ConfigException {
        return section.optionalString("schema");
    }

    /** {@code delete-mode}: {@code hard} (the default) or {@code soft}. */
    public static DeleteMode deleteMode(ConfigNode section) throws ConfigException {
        return DeleteMode.of(section.optionalChoice("delete-mode", DeleteMode.HARD.configName(), DELETE_MODES));
    }

    /**
     * The string under {@code key}; when it is absent, an error saying what the destination needs
     * it for: {@code destination.host: required key is missing (a postgres destination needs the
     * server's host name)}.
     */
    public static String required(ConfigNode section, String key, DestinationProvider provider, String what)
            throws ConfigException {
        if (!section.keys().contains(key)) {
            throw section.error(key, "required key is missing (" + provider.describe() + " needs " + what + ")");
        }
        return section.requiredString(key);
    }
}
