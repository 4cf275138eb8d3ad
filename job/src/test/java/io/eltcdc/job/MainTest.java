package io.eltcdc.job;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The command line's answers to a user's mistakes: one line naming what is wrong, and an exit code. */
class MainTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out) {}

    @Test
    void configErrorNamesTheKeyAndExitsWithUsageCode() throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, """
                pipeline: { name: shop }
                source: { type: postgres, host: 127.0.0.1, database: x, username: u, tables: [public.t], chunk-size: lots }
                staging: { path: "file:///tmp/x" }
                destination: { type: duckdb, path: /tmp/x.duckdb }
                """);
        Result r = run("run", "--pipeline", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out())
                .contains("source.chunk-size")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void missingTableIsNamedBeforeAnyJobStarts() throws Exception {
        String url = TestPostgres.createDatabase("cli_missing");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.present (id int PRIMARY KEY)");
        }
        JdbcUrl db = JdbcUrl.parse(url);
        Path file = tmp.resolve("missing.yaml");
        Files.writeString(
                file,
                String.format(
                        """
                pipeline: { name: shop }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.present, public.absent] }
                staging: { path: "file://%s" }
                destination: { type: duckdb, path: "%s" }
                """,
                        db.host(),
                        db.port(),
                        db.database(),
                        db.user(),
                        db.password(),
                        tmp.resolve("staging"),
                        tmp.resolve("d.duckdb")));
        Result r = run("run", "--pipeline", file.toString(), "--snapshot-only");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("public.absent").doesNotContain("\tat ");
    }

    @Test
    void unreachableSourceSaysWhatToCheckWithoutThePassword() throws Exception {
        Path file = tmp.resolve("unreachable.yaml");
        Files.writeString(file, """
                pipeline: { name: shop }
                source: { type: postgres, host: 127.0.0.1, port: 1, database: x, username: u, password: sup3rs3cret,
                          tables: [public.t] }
                staging: { path: "file:///tmp/x" }
                destination: { type: duckdb, path: /tmp/x.duckdb }
                """);
        Result r = run("run", "--pipeline", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("source").contains("127.0.0.1:1").doesNotContain("sup3rs3cret");
    }

    @Test
    void dropSlotRemovesThePipelinesSlotAndPublication() throws Exception {
        String url = TestPostgres.createDatabase("cli_drop_slot");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.t (id int PRIMARY KEY)");
            s.execute("CREATE PUBLICATION elt_cdc_shop_1 FOR TABLE public.t");
            s.execute("SELECT pg_create_logical_replication_slot('elt_cdc_shop_1', 'pgoutput')");
        }
        JdbcUrl db = JdbcUrl.parse(url);
        Path file = tmp.resolve("drop.yaml");
        Files.writeString(file, String.format("""
                pipeline: { name: Shop-1 }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.t] }
                staging: { path: "file:///tmp/x" }
                destination: { type: duckdb, path: /tmp/x.duckdb }
                """, db.host(), db.port(), db.database(), db.user(), db.password()));

        Result dropped = run("drop-slot", "--pipeline", file.toString());
        Result again = run("drop-slot", "--pipeline", file.toString());

        assertThat(dropped.exit()).isZero();
        assertThat(dropped.out()).contains("Dropped replication slot elt_cdc_shop_1");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("has no replication slot");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_replication_slots WHERE"
                        + " slot_name = 'elt_cdc_shop_1') + (SELECT count(*) FROM pg_publication WHERE"
                        + " pubname = 'elt_cdc_shop_1')")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void resyncLeavesARequestThePipelinePicksUpOrSaysWhatToChange() throws Exception {
        Path staging = tmp.resolve("staging");
        String base = String.format("""
                pipeline: { name: shop }
                source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: ["public.*"]%s }
                staging: { path: "%s" }
                destination: { type: %s }
                """, "%s", staging.toUri(), "%s");
        Path off = tmp.resolve("off.yaml");
        Files.writeString(off, String.format(base, "", "duckdb, path: /tmp/x.duckdb"));
        Path s3 = tmp.resolve("s3.yaml");
        Files.writeString(s3, String.format(base, ", allow-resync: true", "s3, path: \"file:///tmp/lake\""));
        Path on = tmp.resolve("on.yaml");
        Files.writeString(on, String.format(base, ", allow-resync: true", "duckdb, path: /tmp/x.duckdb"));

        Result refused = run("resync", "--pipeline", off.toString(), "--table", "public.orders");
        Result noReplace = run("resync", "--pipeline", s3.toString(), "--table", "public.orders");
        Result requested = run("resync", "--pipeline", on.toString(), "--table", "public.orders");

        assertThat(refused.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(refused.out()).contains("error: ").contains("source.allow-resync: true");
        assertThat(noReplace.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noReplace.out()).contains("the s3 destination cannot do yet");
        assertThat(requested.exit()).isZero();
        assertThat(requested.out()).contains("Re-sync of public.orders requested");
        assertThat(new io.eltcdc.model.sync.TableSyncControl(staging.toUri().toString(), "shop").resyncRequests())
                .containsExactly(new io.eltcdc.model.TableId("public", "orders"));
    }

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
