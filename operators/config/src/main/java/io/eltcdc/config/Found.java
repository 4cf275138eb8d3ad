package io.eltcdc.config;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How messages show a value that was found in the file. */
public final class Found {
    private static final int MAX_QUOTED = 80;

    private Found() {}

    /** What was found, for messages: the value itself unless {@code secret}. */
    public static String describe(Object raw, boolean secret) {
        if (raw == null) {
            return "nothing";
        }
        if (secret) {
            return kind(raw);
        }
        if (raw instanceof String s) {
            return quote(s);
        }
        if (raw instanceof Number || raw instanceof Boolean) {
            return "the " + kind(raw).substring(2) + " " + raw;
        }
        return kind(raw);
    }

    public static String kind(Object raw) {
        if (raw instanceof String) {
            return "a string";
        } else if (raw instanceof Number) {
            return "a number";
        } else if (raw instanceof Boolean) {
            return "a boolean";
        } else if (raw instanceof Map) {
            return "a mapping";
        } else if (raw instanceof List || raw instanceof Set) {
            return "a list";
        } else if (raw instanceof Date) {
            return "a date";
        } else if (raw instanceof byte[]) {
            return "binary data";
        }
        return "a " + raw.getClass().getSimpleName();
    }

    public static String quote(String s) {
        String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
        return "\"" + shown + "\"";
    }
}
