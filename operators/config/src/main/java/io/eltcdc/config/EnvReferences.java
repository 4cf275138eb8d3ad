package io.eltcdc.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replaces {@code ${env:NAME}} in string values with the environment variable {@code NAME}. */
public final class EnvReferences {
    private static final String START = "${env:";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvReferences() {}

    /**
     * @param path the key holding {@code text}, for messages
     * @throws ConfigException for an unset variable or a malformed reference (the message names
     *     the variable, never a value)
     */
    public static String resolve(String path, String text, Function<String, String> env) throws ConfigException {
        if (!text.contains(START)) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int start = text.indexOf(START, at);
            if (start < 0) {
                break;
            }
            Matcher m = REFERENCE.matcher(text).region(start, text.length());
            if (!m.lookingAt()) {
                throw new ConfigException(
                        path,
                        "malformed environment reference at character " + (start + 1)
                                + "; expected ${env:NAME} with NAME made of letters, digits and _");
            }
            String name = m.group(1);
            String value = env.apply(name);
            if (value == null) {
                throw new ConfigException(
                        path,
                        "environment variable " + name + " is not set (the value refers to " + "${env:" + name
                                + "}); set it or write the value in the file");
            }
            out.append(text, at, start).append(value);
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }
}
