package io.eltcdc.job.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Unique markers used as passwords and keys, and the search for them in bytes: as text (UTF-8, as
 * Java serialization writes ASCII strings) and as base64 at each of the three alignments a longer
 * base64 text may put them in.
 */
final class SecretMarkers {
    private SecretMarkers() {}

    /** A fresh marker: {@code label} and a random part, letters, digits and {@code -} only. */
    static String marker(String label) {
        return "elt-secret-" + label + "-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The forms a marker can take in stored bytes: itself and three base64 cores. */
    static List<String> forms(String marker) {
        List<String> forms = new ArrayList<>();
        forms.add(marker);
        byte[] bytes = marker.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + bytes.length];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String b64 = Base64.getEncoder().encodeToString(shifted);
            // The first group holds the filler bytes, the last one the following bytes: keep the rest.
            forms.add(b64.substring(shift == 0 ? 0 : 4, b64.length() - 4));
        }
        return forms;
    }

    /** Which of {@code markers} (label → marker) occur in {@code bytes}, in any form. */
    static List<String> found(byte[] bytes, Map<String, String> markers) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<String> found = new ArrayList<>();
        markers.forEach((label, marker) -> {
            for (String form : forms(marker)) {
                if (text.contains(form)) {
                    found.add(label + (form.equals(marker) ? "" : " (base64)"));
                    break;
                }
            }
        });
        return found;
    }

    /** For each regular file under {@code roots}: the markers it holds; only files holding one. */
    static Map<Path, List<String>> foundInFiles(List<Path> roots, Map<String, String> markers) {
        Map<Path, List<String>> hits = new LinkedHashMap<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    List<String> found = found(Files.readAllBytes(file), markers);
                    if (!found.isEmpty()) {
                        hits.put(file, found);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return hits;
    }

    /** How many regular files are under {@code roots}: a scan that finds nothing must have looked. */
    static long countFiles(List<Path> roots) {
        long n = 0;
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                n += files.filter(Files::isRegularFile).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }
}
