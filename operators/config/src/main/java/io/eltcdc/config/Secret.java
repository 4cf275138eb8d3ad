package io.eltcdc.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * A password or key from the pipeline file. Its {@link #toString()} is always {@code ****}, so
 * records holding one can be printed and logged; only {@link #value()} gives the text.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret text; pass it on to the driver or file system, never print it. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Always {@code ****}: never the value. */
    @Override
    public String toString() {
        return "****";
    }
}
