package io.eltcdc.job.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    /**
     * For each regular file under {@code roots}: the markers it holds; only files holding one. Files
     * that vanish while the scan runs (a running cluster's temporary files) are skipped.
     */
    static Map<Path, List<String>> foundInFiles(List<Path> roots, Map<String, String> markers) {
        Map<Path, List<String>> hits = new LinkedHashMap<>();
        for (Path file : files(roots)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException gone) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> found = found(bytes, markers);
            if (!found.isEmpty()) {
                hits.put(file, found);
            }
        }
        return hits;
    }

    /** The regular files under {@code roots} (a root may be a file). */
    static List<Path> files(List<Path> roots) {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // vanished meanwhile
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /**
     * What a failed scan found, for the failure message: each file and the lines (of a text file)
     * that hold a marker, the marker replaced by its label.
     */
    static String describe(Map<Path, List<String>> hits, Map<String, String> markers) {
        StringBuilder out = new StringBuilder();
        hits.forEach((file, labels) -> {
            out.append(file).append(": ").append(labels).append('\n');
            try {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                text.lines()
                        .filter(line -> markers.values().stream().anyMatch(line::contains))
                        .limit(5)
                        .forEach(line -> {
                            String shown = line;
                            for (var m : markers.entrySet()) {
                                shown = shown.replace(m.getValue(), "<" + m.getKey() + ">");
                            }
                            out.append("    ")
                                    .append(shown, 0, Math.min(shown.length(), 2000))
                                    .append('\n');
                        });
            } catch (IOException e) {
                out.append("    (").append(e).append(")\n");
            }
        });
        return out.toString();
    }
}
