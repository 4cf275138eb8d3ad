package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.Main;
import io.eltcdc.testing.Deadline;
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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault that needs a person stops a local run at once, with the database's own words, although
 * a local run restarts transient failures without a limit: here the destination user may not
 * create the pipeline's tables (SQLSTATE 42501).
 */
class PermanentFaultTest {
    private static final String USER = "elt_no_create";

    @TempDir
    Path tmp;

    @Test
    void aDestinationUserWithoutThePrivilegeStopsTheRunAtOnce() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("fault_perm_src");
        String destUrl = TestPostgres.createDatabase("fault_perm_dst");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.t (id bigint PRIMARY KEY, v text)");
            s.execute("INSERT INTO public.t SELECT g, 'v' || g FROM generate_series(1, 100) g");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "')"
                    + " THEN CREATE ROLE " + USER + " LOGIN; END IF; END $$");
            String password = TestPostgres.parts().password();
            if (password != null && !password.isEmpty()) {
                s.execute("ALTER ROLE " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
            }
        }
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        Path pipeline = tmp.resolve("pipeline.yaml");
        Files.writeString(
                pipeline,
                String.format(
                        """
                        pipeline: { name: fault-perm, parallelism: 1, checkpoint-interval: 1s }
                        source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                                  tables: [public.t] }
                        staging: { path: "file://%s" }
                        destination: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                                       password: "%s" }
                        """,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        tmp.resolve("staging"),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        USER,
                        dst.password()));

        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int exit;
        try {
            // Restarted without a limit, the run would never end: it must end well within this.
            exit = Deadline.within(
                    Duration.ofMinutes(2),
                    () -> Main.execute("run", "--pipeline", pipeline.toString(), "--snapshot-only"));
        } catch (AssertionError timedOut) {
            throw new AssertionError(
                    timedOut.getMessage() + "; the run printed:\n" + buffer.toString(StandardCharsets.UTF_8), timedOut);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isEqualTo(LocalPipelineRunner.EXIT_FAILED);
        assertThat(out)
                .as(out)
                .contains("error: pipeline 'fault-perm' failed: creating the pipeline's tables failed")
                .contains("permission denied")
                .contains("destination.username")
                .doesNotContain("\tat ");
    }
}
