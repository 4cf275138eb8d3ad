package io.eltcdc.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces references in string values: {@code ${env:NAME}} by the environment variable {@code
 * NAME}, and {@code ${file:/path}} by the content of the file (UTF-8, one trailing newline
 * stripped), as Kubernetes mounts a secret's keys. Messages name the variable or the file, never a
 * value.
 */
public final class References {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(?:env:([A-Za-z_][A-Za-z0-9_]*)|file:(/[^}]*))}");
    private static final Pattern START = Pattern.compile("\\$\\{(env|file):");

    private References() {}

    /** Whether {@code text} holds a reference (well formed or not). */
    public static boolean contains(String text) {
        return START.matcher(text).find();
    }

    /**
     * @param path the key holding {@code text}, for messages
     * @throws ConfigException for an unset variable, a missing, unreadable or empty file, or a
     *     malformed reference (the message names the key and the variable or file, never a value)
     */
    public static String resolve(String path, String text, Function<String, String> env) throws ConfigException {
        Matcher start = START.matcher(text);
        if (!start.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        do {
            Matcher m = REFERENCE.matcher(text).region(start.start(), text.length());
            if (!m.lookingAt()) {
                throw new ConfigException(path, malformed(start.group(1), start.start()));
            }
            String value = m.group(1) != null ? variable(path, m.group(1), env) : file(path, m.group(2));
            out.append(text, at, start.start()).append(value);
            at = m.end();
        } while (start.find(at));
        return out.append(text, at, text.length()).toString();
    }

    private static String malformed(String kind, int index) {
        return kind.equals("env")
                ? "malformed environment reference at character " + (index + 1)
                        + "; expected ${env:NAME} with NAME made of letters, digits and _"
                : "malformed file reference at character " + (index + 1)
                        + "; expected ${file:/absolute/path} (an absolute path, without })";
    }

    private static String variable(String path, String name, Function<String, String> env) throws ConfigException {
        String value = env.apply(name);
        if (value == null) {
            throw new ConfigException(
                    path,
                    "environment variable " + name + " is not set (the value refers to ${env:" + name
                            + "}); set it or write the value in the file");
        }
        return value;
    }

    private static String file(String path, String name) throws ConfigException {
        String ref = "${file:" + name + "}";
        Path file = Path.of(name);
        if (Files.isDirectory(file)) {
            throw new ConfigException(path, name + " is a directory, not a file (the value refers to " + ref + ")");
        }
        String content;
        try {
            content = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    path,
                    "file " + name + " does not exist (the value refers to " + ref
                            + "); create it or mount the secret there");
        } catch (AccessDeniedException e) {
            throw new ConfigException(
                    path,
                    "file " + name + " cannot be read by this user (the value refers to " + ref
                            + "); give the user read access");
        } catch (CharacterCodingException e) {
            throw new ConfigException(path, "file " + name + " is not UTF-8 text (the value refers to " + ref + ")");
        } catch (IOException e) {
            throw new ConfigException(
                    path,
                    "file " + name + " cannot be read (the value refers to " + ref + "): "
                            + e.getClass().getSimpleName());
        }
        if (content.endsWith("\r\n")) {
            content = content.substring(0, content.length() - 2);
        } else if (content.endsWith("\n")) {
            content = content.substring(0, content.length() - 1);
        }
        if (content.isEmpty()) {
            throw new ConfigException(
                    path, "file " + name + " is empty (the value refers to " + ref + "); write the secret in it");
        }
        return content;
    }
}
