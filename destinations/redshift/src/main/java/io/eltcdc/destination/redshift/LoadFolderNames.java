package io.eltcdc.destination.redshift;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Folder names made from pipeline, table and batch names: safe in S3 keys and URIs, fixed for the same input. */
final class LoadFolderNames {
    private LoadFolderNames() {}

    /**
     * {@code name} with characters other than letters, digits, {@code .}, {@code _} and {@code -}
     * replaced by {@code _}; when anything was replaced, a checksum of the name is appended so that
     * names differing only there stay apart.
     */
    static String segment(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean replaced = name.isEmpty();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            out.append(safe ? c : '_');
            replaced |= !safe;
        }
        if (out.toString().equals(".") || out.toString().equals("..")) {
            replaced = true;
        }
        if (replaced) {
            CRC32 crc = new CRC32();
            crc.update(name.getBytes(StandardCharsets.UTF_8));
            out.append('-').append(String.format("%08x", crc.getValue()));
        }
        return out.toString();
    }
}
