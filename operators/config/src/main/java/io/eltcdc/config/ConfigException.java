package io.eltcdc.config;

/**
 * A pipeline file that cannot be used. The message starts with the full path of the key at
 * fault ({@code source.chunk-size: expected a positive integer, got "abc"}) and never contains a
 * secret. Problems with the file as a whole (unreadable, empty, not YAML) have an empty path.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public ConfigException(String path, String message) {
        this(path, message, null);
    }

    public ConfigException(String path, String message, Throwable cause) {
        super(path == null || path.isEmpty() ? message : path + ": " + message, cause);
        this.path = path == null ? "" : path;
        this.reason = message;
    }

    /** What is wrong, without the path: {@code expected a positive integer, got "abc"}. */
    public String reason() {
        return reason;
    }

    /** The key at fault, e.g. {@code source.chunk-size}; empty for the file as a whole. */
    public String path() {
        return path;
    }
}
