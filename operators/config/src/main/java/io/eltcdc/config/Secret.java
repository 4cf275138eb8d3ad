package io.eltcdc.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.Function;

/**
 * A password or key from the pipeline file, kept as the file wrote it: a reference ({@code
 * ${env:NAME}}, {@code ${file:/path}}) or a literal. {@link #value()} resolves a reference each time
 * it is called, on the machine that calls it, so that whatever carries a Secret (the job graph,
 * operator state, a log line) carries only the reference; a literal travels as written.
 *
 * <p>Its {@link #toString()} is always {@code ****}, so records holding one can be printed and
 * logged. Only {@link #value()} gives the text: call it where a connection or client is opened.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String text;
    private final String key;
    private final boolean referenced;
    /** The environment the file was read with; after deserialization this process's. */
    private transient Function<String, String> env;

    /** A literal secret: {@code value} is the secret itself, references in it are not resolved. */
    public Secret(String value) {
        this(value, "", false, null);
    }

    private Secret(String text, String key, boolean referenced, Function<String, String> env) {
        this.text = Objects.requireNonNull(text, "text");
        this.key = key;
        this.referenced = referenced;
        this.env = env;
    }

    /**
     * The secret written as {@code text} under {@code key}. References are resolved once now, so an
     * unset variable or a missing file fails where the pipeline file is read, and again at each
     * {@link #value()}.
     *
     * @throws ConfigException naming the key, and the variable or file, never a value
     */
    public static Secret of(String key, String text, Function<String, String> env) throws ConfigException {
        if (!References.contains(text)) {
            return new Secret(text, key, false, null);
        }
        References.resolve(key, text, env);
        return new Secret(text, key, true, env);
    }

    /**
     * The secret text, resolved now from its variable or file; pass it on to the driver or file
     * system, never print or keep it.
     *
     * @throws SecretUnavailableException when the variable or file is gone, with the message the
     *     pipeline file's check gives (naming the key)
     */
    public String value() {
        if (!referenced) {
            return text;
        }
        try {
            return References.resolve(key, text, env == null ? System::getenv : env);
        } catch (ConfigException e) {
            throw new SecretUnavailableException(e);
        }
    }

    /** {@link #value()} of {@code secret}, or null when it is null. */
    public static String valueOf(Secret secret) {
        return secret == null ? null : secret.value();
    }

    /**
     * Whether the file holds the secret itself rather than a reference to a variable or file: then
     * the secret travels inside the job (graph, state), as written.
     */
    public boolean isLiteral() {
        return !referenced;
    }

    /** The key the secret was read from ({@code source.password}); empty for one made in code. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.text.equals(text) && s.referenced == referenced;
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Always {@code ****}: never the value nor the reference. */
    @Override
    public String toString() {
        return "****";
    }
}
