package io.eltcdc.config;

/**
 * A {@link Secret}'s variable or file could not be read where a connection was being opened: the
 * same one-line message as the pipeline file's check, naming the key. Something a person has to
 * fix (mount the secret, set the variable); trying again does not help.
 */
public final class SecretUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SecretUnavailableException(ConfigException cause) {
        super(cause.getMessage(), cause);
        this.key = cause.path();
    }

    /** The key whose secret is missing, e.g. {@code source.password}. */
    public String key() {
        return key;
    }
}
