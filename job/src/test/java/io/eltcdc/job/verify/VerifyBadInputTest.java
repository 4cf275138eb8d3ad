package io.eltcdc.job.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.Main;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify}'s exit code 2, with one line naming what to change. */
class VerifyBadInputTest {
    @TempDir
    Path tmp;

    @Test
    void aTableThePipelineDoesNotSelectIsNamed() throws Exception {
        Path file = pipeline("{ type: duckdb, path: \"" + tmp.resolve("d.duckdb") + "\" }");
        Result r = run("verify", "--pipeline", file.toString(), "--table", "public.absent");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out())
                .isEqualTo("error: --table public.absent: not a table of the pipeline (source.tables selects"
                        + " public.present)\n");
    }

    @Test
    void wrongOptionsAreRefused() throws Exception {
        Path file = pipeline("{ type: duckdb, path: \"" + tmp.resolve("d.duckdb") + "\" }");
        assertThat(run("verify", "--pipeline", file.toString(), "--parallelism", "0")
                        .exit())
                .isEqualTo(2);
        assertThat(run("verify", "--pipeline", tmp.resolve("missing.yaml").toString())
                        .exit())
                .isEqualTo(2);
    }

    private Path pipeline(String destination) throws Exception {
        String url = TestPostgres.createDatabase("vfy_bad_input");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.present (id int PRIMARY KEY)");
        }
        JdbcUrl db = JdbcUrl.parse(url);
        Path file = tmp.resolve("p.yaml");
        Files.writeString(
                file,
                String.format(
                        """
                pipeline: { name: vfy-bad }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.present] }
                staging: { path: "file://%s" }
                destination: %s
                """,
                        db.host(),
                        db.port(),
                        db.database(),
                        db.user(),
                        db.password(),
                        tmp.resolve("staging"),
                        destination));
        return file;
    }

    record Result(int exit, String out) {}

    private static Result run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute(args);
            return new Result(exit, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
