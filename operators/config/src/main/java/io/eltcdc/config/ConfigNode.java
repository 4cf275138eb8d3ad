package io.eltcdc.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;

/**
 * One mapping of the pipeline file with its path ({@code staging.s3}): typed reads that fail with
 * a {@link ConfigException} naming the key, what was found and what was expected. String values
 * have {@code ${env:NAME}} and {@code ${file:/path}} references resolved (secrets keep them, see
 * {@link #optionalSecret}). An empty value ({@code key:} or {@code key: ""})
 * counts as absent for optional keys. Secrets are never quoted in messages.
 */
public final class ConfigNode {
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]+(\\.[0-9]*)?\\s*");

    private final String path;
    private final Map<String, Object> values;
    private final Function<String, String> env;
    /** Shared by a document's sections: the keys of secrets written in the file itself. */
    private final List<String> literalSecrets;

    public ConfigNode(String path, Map<?, ?> map, Function<String, String> env) {
        this(path, map, env, new ArrayList<>());
    }

    private ConfigNode(String path, Map<?, ?> map, Function<String, String> env, List<String> literalSecrets) {
        this.path = path;
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        this.values = Collections.unmodifiableMap(copy);
        this.env = env;
        this.literalSecrets = literalSecrets;
    }

    /**
     * The keys, in this node's whole document, of the secrets read so far that the file writes
     * itself rather than as a {@code ${env:…}} or {@code ${file:…}} reference.
     */
    public List<String> literalSecrets() {
        return List.copyOf(literalSecrets);
    }

    public String path() {
        return path;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The keys in file order. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** Whether {@code key} is present with a value. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    public ConfigException error(String key, String message) {
        return new ConfigException(pathOf(key), message);
    }

    public void checkNoUnknownKeys(List<String> known) throws ConfigException {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(
                        path,
                        (path.isEmpty() ? "unknown top-level key \"" : "unknown key \"")
                                + key + "\" (known keys: " + String.join(", ", known)
                                + Suggestions.didYouMean(key, known) + ")");
            }
        }
    }

    // ---- sections

    public ConfigNode requiredSection(String key) throws ConfigException {
        if (!values.containsKey(key)) {
            throw error(key, "required section is missing (expected a mapping of its keys)");
        }
        ConfigNode section = optionalSection(key);
        if (section == null) {
            throw error(key, "the section is empty (expected a mapping of its keys)");
        }
        return section;
    }

    /** The mapping under {@code key}, or null when absent or empty. */
    public ConfigNode optionalSection(String key) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw error(key, "expected a mapping (nested key: value pairs), got " + Found.describe(raw, false));
        }
        return new ConfigNode(pathOf(key), map, env, literalSecrets);
    }

    // ---- strings

    public String requiredString(String key) throws ConfigException {
        String value = optionalString(key);
        if (value == null) {
            throw missing(key, "a non-empty string");
        }
        return value;
    }

    /** The string under {@code key}, or null when absent or empty. */
    public String optionalString(String key) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        String value = text(pathOf(key), raw, "a string", false);
        return value.isBlank() ? null : value;
    }

    /** The string under {@code key}, a whole number written without quotes included; null when absent or empty. */
    public String optionalStringOrNumber(String key) throws ConfigException {
        Object raw = values.get(key);
        if (raw instanceof Integer || raw instanceof Long) {
            return raw.toString();
        }
        return optionalString(key);
    }

    /**
     * The secret under {@code key}, or null when absent or empty. It keeps what the file wrote: a
     * {@code ${env:…}} or {@code ${file:…}} reference is checked now and resolved again each time the
     * secret's value is used (see {@link Secret}).
     */
    public Secret optionalSecret(String key) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof String written)) {
            text(pathOf(key), raw, "a string", true); // throws: not a string
            return null;
        }
        if (written.isEmpty()) {
            return null;
        }
        Secret secret = Secret.of(pathOf(key), written, env);
        if (secret.isLiteral()) {
            literalSecrets.add(pathOf(key));
        }
        return secret;
    }

    /** One of {@code choices} (matched ignoring case, returned as listed), or {@code def} when absent. */
    public String optionalChoice(String key, String def, List<String> choices) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return def;
        }
        String expected = "one of " + String.join(", ", choices);
        String value = text(pathOf(key), raw, expected, false).trim();
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(value)) {
                return choice;
            }
        }
        throw error(
                key, "expected " + expected + ", got " + Found.quote(value) + Suggestions.didYouMean(value, choices));
    }

    public String requiredChoice(String key, List<String> choices) throws ConfigException {
        String value = optionalChoice(key, null, choices);
        if (value == null) {
            throw missing(key, "one of " + String.join(", ", choices));
        }
        return value;
    }

    /** A non-empty list of non-empty strings, each with {@code ${env:…}} resolved. */
    public List<String> requiredStringList(String key, String elements) throws ConfigException {
        Object raw = values.get(key);
        String expected = "a list of " + elements;
        if (raw == null) {
            throw values.containsKey(key)
                    ? error(key, "has no value (expected " + expected + ")")
                    : missing(key, expected);
        }
        if (!(raw instanceof List<?> list)) {
            String hint = raw instanceof String s ? "; write it as a list: [" + s + "]" : "";
            throw error(key, "expected " + expected + ", got " + Found.describe(raw, false) + hint);
        }
        if (list.isEmpty()) {
            throw error(key, "expected " + expected + ", got an empty list");
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = pathOf(key) + "[" + i + "]";
            Object item = list.get(i);
            String value = item == null ? "" : text(at, item, "a string", false);
            if (value.isBlank()) {
                throw new ConfigException(at, "expected a non-empty string, got an empty entry");
            }
            out.add(value);
        }
        return List.copyOf(out);
    }

    // ---- numbers, booleans, durations, sizes

    public int optionalInt(String key, int def, int min, int max) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return def;
        }
        String expected =
                min == 1 && max == Integer.MAX_VALUE ? "a positive integer" : "an integer from " + min + " to " + max;
        BigInteger value;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
            value = new BigInteger(raw.toString());
        } else if (raw instanceof String) {
            String s = text(pathOf(key), raw, expected, false).trim();
            try {
                value = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException e) {
                throw error(key, "expected " + expected + ", got " + Found.quote(s));
            }
        } else {
            throw error(key, "expected " + expected + ", got " + Found.describe(raw, false));
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error(key, "expected " + expected + ", got " + value);
        }
        return value.intValue();
    }

    public boolean optionalBoolean(String key, boolean def) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return def;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String) {
            String s = text(pathOf(key), raw, "true or false", false).trim();
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
            }
            throw error(key, "expected true or false, got " + Found.quote(s));
        }
        throw error(key, "expected true or false, got " + Found.describe(raw, false));
    }

    /** A positive duration in Flink's syntax ({@code 10s}, {@code 500ms}, {@code 2min}); a unit is required. */
    public Duration optionalDuration(String key, Duration def) throws ConfigException {
        String expected = "a duration such as 10s, 500ms, 2min or 1h";
        String s = unitValue(key, expected, "s");
        if (s == null) {
            return def;
        }
        Duration d;
        try {
            d = TimeUtils.parseDuration(s);
        } catch (RuntimeException e) {
            throw error(key, "expected " + expected + ", got " + Found.quote(s));
        }
        if (d.isZero() || d.isNegative()) {
            throw error(key, "expected a positive duration, got " + Found.quote(s));
        }
        return d;
    }

    /** A positive size in Flink's syntax ({@code 64mb}, {@code 512kb}); a unit is required. */
    public MemorySize optionalSize(String key, MemorySize def) throws ConfigException {
        String expected = "a size such as 64mb, 512kb or 1gb";
        String s = unitValue(key, expected, "mb");
        if (s == null) {
            return def;
        }
        MemorySize size;
        try {
            size = MemorySize.parse(s);
        } catch (RuntimeException e) {
            throw error(key, "expected " + expected + ", got " + Found.quote(s));
        }
        if (size.getBytes() <= 0) {
            throw error(key, "expected a positive size, got " + Found.quote(s));
        }
        return size;
    }

    /** The text of a value that needs a unit; a bare number is an error suggesting {@code exampleUnit}. */
    private String unitValue(String key, String expected, String exampleUnit) throws ConfigException {
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        String s;
        if (raw instanceof Number n) {
            s = n.toString();
        } else if (raw instanceof String) {
            s = text(pathOf(key), raw, expected, false).trim();
        } else {
            throw error(key, "expected " + expected + ", got " + Found.describe(raw, false));
        }
        if (BARE_NUMBER.matcher(s).matches()) {
            throw error(
                    key,
                    "expected " + expected + ", got " + s.trim() + " without a unit; add a unit, e.g. " + s.trim()
                            + exampleUnit);
        }
        return s;
    }

    // ---- helpers

    private ConfigException missing(String key, String expected) {
        return values.containsKey(key)
                ? error(key, "has no value (expected " + expected + ")")
                : error(key, "required key is missing (expected " + expected + ")");
    }

    private String text(String at, Object raw, String expected, boolean secret) throws ConfigException {
        if (raw instanceof String s) {
            return References.resolve(at, s, env);
        }
        String hint = raw instanceof Number || raw instanceof Boolean || raw instanceof Date
                ? " (YAML reads this unquoted value as " + Found.kind(raw) + "; put it in quotes)"
                : "";
        throw new ConfigException(at, "expected " + expected + ", got " + Found.describe(raw, secret) + hint);
    }
}
