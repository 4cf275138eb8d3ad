package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code source.capture-new-tables}, when not set, is decided against the real server before the
 * start: on where the source user may publish whole schemas (PostgreSQL 15+, a superuser), off with
 * one line saying why where not; a set value is kept as it is.
 */
class PreflightTest {
    private static final String PLAIN_USER = "elt_preflight_plain";
    private static String url;

    @BeforeAll
    static void database() throws Exception {
        url = TestPostgres.createDatabase("preflight_capture");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.t (id bigint PRIMARY KEY)");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + PLAIN_USER + "')"
                    + " THEN CREATE ROLE " + PLAIN_USER + " LOGIN; END IF; END $$");
            String password = TestPostgres.parts().password();
            if (password != null && !password.isEmpty()) {
                s.execute("ALTER ROLE " + PLAIN_USER + " PASSWORD '" + password.replace("'", "''") + "'");
            }
            s.execute("GRANT SELECT ON public.t TO " + PLAIN_USER);
        }
    }

    @Test
    void aSuperuserCapturesNewTablesByDefault() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineConfig decided =
                Preflight.checkChangeLog(config(JdbcUrl.parse(url).user(), ""), print(out));
        assertThat(decided.source().captureNewTables()).isTrue();
        assertThat(decided.source().captureNewTablesByDefault()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aUserWhoMayNotPublishSchemasDoesNotAndIsToldWhy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineConfig decided = Preflight.checkChangeLog(config(PLAIN_USER, ""), print(out));
        assertThat(decided.source().captureNewTables()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("Tables created later are not captured: only a superuser may publish whole schemas,"
                        + " and the source user is not one (set source.capture-new-tables: false to say so and"
                        + " silence this line).\n");
    }

    @Test
    void aSetValueIsKept() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineConfig decided =
                Preflight.checkChangeLog(config(PLAIN_USER, ", capture-new-tables: false"), print(out));
        assertThat(decided.source().captureNewTables()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static PipelineConfig config(String user, String sourceOptions) throws Exception {
        JdbcUrl s = JdbcUrl.parse(url);
        return PipelineConfig.parse(
                String.format("""
                        pipeline: { name: preflight }
                        source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                                  tables: [public.t]%s }
                        staging: { path: "file:///tmp/elt-cdc-preflight" }
                        destination: { type: duckdb, path: /tmp/elt-cdc-preflight.duckdb }
                        """, s.host(), s.port(), s.database(), user, s.password(), sourceOptions), name -> null);
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
