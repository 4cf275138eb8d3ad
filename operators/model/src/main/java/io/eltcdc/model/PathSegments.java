package io.eltcdc.model;

import java.nio.charset.StandardCharsets;

/** Names as path segments of staging folders and control files, the same everywhere. */
public final class PathSegments {
    private PathSegments() {}

    /** Escapes one path segment: {@code [A-Za-z0-9_-]} stay, every other UTF-8 byte is {@code ~XX}. */
    public static String escape(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean safe =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (safe) {
                out.append(c);
            } else {
                out.append('~')
                        .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
