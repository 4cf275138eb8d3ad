package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every pipeline file in {@code examples/} is a valid configuration. */
class ExamplesTest {

    @Test
    void everyExampleParses() throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            examples =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            PipelineConfig config = PipelineConfig.parse(Files.readString(example), name -> "secret-from-" + name);
            assertThat(config.pipeline().name()).as(example.toString()).isNotBlank();
            assertThat(config.source().tables()).as(example.toString()).isNotEmpty();
        }
    }
}
