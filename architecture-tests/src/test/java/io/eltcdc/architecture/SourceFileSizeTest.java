package io.eltcdc.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One job per class: no main source file (test libraries' included) grows past {@value #MAX_LINES} lines. */
class SourceFileSizeTest {
    static final int MAX_LINES = 400;

    @Test
    void noMainSourceFileIsLongerThanTheLimit() throws IOException {
        Path root = Path.of(System.getProperty("eltcdc.root", "..")).toRealPath();
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(root)) {
            tooLong = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> lines(p) > MAX_LINES)
                    .map(p -> root.relativize(p) + " (" + lines(p) + " lines)")
                    .sorted()
                    .toList();
        }
        assertThat(tooLong)
                .as("main source files over %d lines: split them by role", MAX_LINES)
                .isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
