package io.eltcdc.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code run --pipeline-yaml-base64}: how {@code scripts/submit.sh} hands the pipeline to a
 * cluster's JobManager, which has no copy of the file. Mistakes get the same one-line answers as
 * with {@code --pipeline FILE}.
 */
class PipelineYamlArgumentTest {
    record Result(int exit, String out) {}

    @Test
    void configErrorInTheYamlNamesTheKey() {
        String yaml = """
                pipeline: { name: shop }
                source: { type: postgres, host: 127.0.0.1, database: x, username: u, tables: [public.t], chunk-size: lots }
                staging: { path: "file:///tmp/x" }
                destination: { type: duckdb, path: /tmp/x.duckdb }
                """;
        Result r = run(
                "run",
                "--pipeline-yaml-base64",
                Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).contains("error: --pipeline-yaml-base64: source.chunk-size");
    }

    @Test
    void notBase64IsSaidSo() {
        Result r = run("run", "--pipeline-yaml-base64", "this is not base64!");
        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).contains("--pipeline-yaml-base64: not base64");
    }

    @Test
    void fileAndContentTogetherAreRefused() {
        Result r = run("run", "--pipeline", "p.yaml", "--pipeline-yaml-base64", "cGlwZWxpbmU6IHt9");
        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).contains("mutually exclusive");
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return new Result(Main.execute(args), buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
