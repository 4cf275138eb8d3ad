package io.eltcdc.job.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.Main;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestMySql;
import io.eltcdc.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} against real servers: an initial sync ({@code run --snapshot-only}) of tables of
 * many column types, then {@code verify} finds them equal (exit 0); after a row is deleted in
 * t_a's target, a value changed in t_b's and a row added to t_c's, it names exactly those three
 * tables with the keys (exit 1), and not t_d or t_e, which were left alone. PostgreSQL into DuckDB,
 * into PostgreSQL and into the S3 destination (a local folder), MariaDB into DuckDB; a change of any one column type is found; in soft-delete mode a
 * row marked deleted is not a row of the source.
 */
class VerifyEndToEndTest {
    static final List<String> TABLES = List.of("t_a", "t_b", "t_c", "t_d");

    @TempDir
    Path tmp;

    @Test
    void postgresIntoDuckDb() throws Exception {
        String src = postgresSource("vfy_pg_duck");
        Path duckdb = tmp.resolve("dest.duckdb");
        Path file =
                pipeline("vfy-pg-duck", postgresSection(src, "public"), "{ type: duckdb, path: \"" + duckdb + "\" }");
        runSnapshot(file);
        assertEqual(file);

        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckdb)) {
            drift(d, "public");
        }
        assertDrift(file, "public", "17", "42", "100000");

        // every column type takes part in the hash: a change of any one column is found
        List<String> changes = List.of(
                "big = big + 1",
                "amount = amount + 0.001",
                "wide = '1.5'",
                "r = COALESCE(r, 0) + 1",
                "d = d * 2",
                "flag = NOT flag",
                "name = name || 'x'",
                "code = 'zz'",
                "created = created + 1",
                "at_time = at_time + INTERVAL 1 SECOND",
                "ts = ts + INTERVAL 1 MICROSECOND",
                "tstz = tstz + INTERVAL 1 MICROSECOND",
                "uid = uuid()",
                "payload = '{\"k\": 0}'",
                "doc = '{\"b\":0}'",
                "tags = '[9]'",
                "data = '\\x00'::BLOB");
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                Statement s = d.createStatement()) {
            for (int i = 0; i < changes.size(); i++) {
                s.execute("UPDATE public.t_d SET " + changes.get(i) + " WHERE id = " + (100 + i));
            }
        }
        Result r = run("verify", "--pipeline", file.toString(), "--settle-timeout", "0s", "--table", "public.t_d");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("different values: " + changes.size() + " row(s), e.g. key 100; 101; 102; 103; 104\n")
                .doesNotContain("public.t_a");
    }

    @Test
    void softDeletedRowsAreNoRowsOfTheSource() throws Exception {
        String src = postgresSource("vfy_pg_soft");
        Path duckdb = tmp.resolve("soft.duckdb");
        Path file = pipeline(
                "vfy-pg-soft",
                postgresSection(src, "public"),
                "{ type: duckdb, path: \"" + duckdb + "\", delete-mode: soft }");
        runSnapshot(file);
        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                Statement s = d.createStatement()) {
            // a row deleted in the source, kept as a tombstone
            s.execute("CREATE TEMPORARY TABLE extra AS SELECT * FROM public.t_c WHERE id = 1");
            s.execute("UPDATE extra SET id = 100000, _elt_deleted = true");
            s.execute("INSERT INTO public.t_c SELECT * FROM extra");
        }
        assertEqual(file);

        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                Statement s = d.createStatement()) {
            s.execute("UPDATE public.t_c SET _elt_deleted = false WHERE id = 100000");
        }
        Result r = run("verify", "--pipeline", file.toString(), "--settle-timeout", "0s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("extra in the destination: 1 row(s), e.g. key 100000\n")
                .contains("verify: 1 of 5 table(s) differ: public.t_c\n");
    }

    @Test
    void postgresIntoPostgres() throws Exception {
        String src = postgresSource("vfy_pg_pg");
        String destUrl = TestPostgres.createDatabase("vfy_pg_pg_dest");
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        Path file = pipeline(
                "vfy-pg-pg",
                postgresSection(src, "public"),
                String.format(
                        "{ type: postgres, host: %s, port: %d, database: %s, username: %s, password: \"%s\","
                                + " schema: copy }",
                        dst.host(), dst.port(), dst.database(), dst.user(), dst.password()));
        runSnapshot(file);
        assertEqual(file);

        try (Connection d = DriverManager.getConnection(destUrl)) {
            drift(d, "copy");
        }
        assertDrift(file, "public", "17", "42", "100000");
    }

    /**
     * The S3 destination keeps a history of files that no SQL edits: the source drifts instead (a
     * snapshot-only pipeline streams nothing, so the differences are reported at once), a row added to
     * t_a (missing in the destination), a value changed in t_b, a row deleted from t_c (extra there).
     */
    @Test
    void postgresIntoS3() throws Exception {
        String src = postgresSource("vfy2_pg_s3");
        Path lake = tmp.resolve("lake");
        Path file =
                pipeline("vfy2-pg-s3", postgresSection(src, "public"), "{ type: s3, path: \"file://" + lake + "\" }");
        runSnapshot(file);
        assertEqual(file);

        try (Connection c = DriverManager.getConnection(src);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO t_a SELECT 100000, big, amount, wide, r, d, flag, name, code, created, at_time, ts,"
                    + " tstz, uid, payload, doc, tags, data FROM t_a WHERE id = 1");
            s.execute("UPDATE t_b SET amount = amount + 0.001 WHERE id = 42");
            s.execute("DELETE FROM t_c WHERE id = 17");
        }
        Result r = run("verify", "--pipeline", file.toString(), "--settle-timeout", "0s");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out())
                .contains("public.t_a differs")
                .contains("missing in the destination: 1 row(s), e.g. key 100000")
                .contains("public.t_b differs")
                .contains("different values: 1 row(s), e.g. key 42")
                .contains("public.t_c differs")
                .contains("extra in the destination: 1 row(s), e.g. key 17")
                .doesNotContain("public.t_d differs")
                .doesNotContain("public.t_e differs")
                .contains("table(s) differ: public.t_a, public.t_b, public.t_c\n");
    }

    @Test
    void mariaDbIntoDuckDb() throws Exception {
        String src = TestMySql.createDatabase("vfy_my_duck");
        try (Connection c = TestMySql.connect(src);
                Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            s.execute("CREATE TABLE seq (n int PRIMARY KEY)");
            s.execute("INSERT INTO seq SELECT a.n * 10 + b.n + 1 FROM"
                    + " (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5"
                    + " UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) a,"
                    + " (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5"
                    + " UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) b");
            for (String t : TABLES) {
                s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, big bigint, ubig bigint unsigned,"
                        + " amount decimal(12,3), r float, d double, flag tinyint(1), name varchar(40),"
                        + " code char(5), created date, at_time time(6), ts datetime(6), tstz timestamp(6) NULL,"
                        + " doc json, data varbinary(16), yr year)");
                s.execute("INSERT INTO " + t + " SELECT n, n * 100000000000, 18446744073709551615 - n, n * 1.125 - 50,"
                        + " CASE WHEN n % 7 = 0 THEN NULL ELSE n / 10 END, n * 1e-7 + 1e300 * (n = 3),"
                        + " n % 2, CONCAT('n\u00e4me \u2603 ', n), CASE WHEN n % 5 = 0 THEN NULL ELSE 'ab' END,"
                        + " DATE_ADD('1999-12-30', INTERVAL n DAY), SEC_TO_TIME((n * 3601.5) % 86400),"
                        + " TIMESTAMP('2024-02-29 23:59:59.123456') + INTERVAL n HOUR,"
                        + " TIMESTAMP('2001-01-01 00:00:00.5') + INTERVAL n MINUTE,"
                        + " CONCAT('{\"k\": ', n, ', \"s\": \"x\"}'), UNHEX(LPAD(HEX(n), 4, '0')), 1990 + n % 30"
                        + " FROM seq WHERE n <= 100");
            }
        }
        JdbcUrl db = TestMySql.parts(src);
        Path duckdb = tmp.resolve("my.duckdb");
        Path file = pipeline(
                "vfy-my-duck",
                String.format(
                        "{ type: mysql, host: %s, port: %d, database: %s, username: %s, password: \"%s\","
                                + " tables: [%s], chunk-size: 16 }",
                        db.host(),
                        db.port(),
                        db.database(),
                        db.user(),
                        db.password(),
                        String.join(
                                ", ",
                                TABLES.stream()
                                        .map(t -> db.database() + "." + t)
                                        .toList())),
                "{ type: duckdb, path: \"" + duckdb + "\" }");
        runSnapshot(file);
        assertEqual(file);

        try (Connection d = DriverManager.getConnection("jdbc:duckdb:" + duckdb)) {
            drift(d, db.database());
        }
        assertDrift(file, db.database(), "17", "42", "100000");
    }

    /**
     * A PostgreSQL source of tables t_a … t_d (same columns, 300 rows) and t_e (a composite key whose text
     * part sorts by ICU's rules).
     */
    private static String postgresSource(String name) throws Exception {
        String url = TestPostgres.createDatabase(name);
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, big bigint, amount numeric(12,3), wide numeric,"
                        + " r real, d double precision, flag boolean, name text, code char(5), created date,"
                        + " at_time time, ts timestamp, tstz timestamptz, uid uuid, payload jsonb, doc json,"
                        + " tags int[], data bytea)");
                s.execute("INSERT INTO " + t + " SELECT n, n * 100000000000, n * 1.125 - 50,"
                        + " CASE WHEN n % 3 = 0 THEN (n || '.4500')::numeric END,"
                        + " CASE WHEN n % 7 = 0 THEN NULL ELSE n / 10.0 END,"
                        + " CASE n WHEN 3 THEN 1e300 WHEN 4 THEN 0 WHEN 5 THEN 'NaN' ELSE n * 1e-7 END,"
                        + " n % 2 = 0, 'n\u00e4me \u2603 ' || n, CASE WHEN n % 5 = 0 THEN NULL ELSE 'ab' END,"
                        + " DATE '1999-12-30' + n, TIME '00:00:00.5' + n * INTERVAL '1 minute 1.25 second',"
                        + " TIMESTAMP '2024-02-29 23:59:59.123456' + n * INTERVAL '1 hour',"
                        + " TIMESTAMPTZ '2001-01-01 00:00:00.5+05' + n * INTERVAL '1 minute',"
                        + " md5(n::text)::uuid, jsonb_build_object('k', n, 's', 'x\u00e9'),"
                        + " ('{\"b\":' || n || ',  \"a\": [1, 2]}')::json, ARRAY[n, n + 1],"
                        + " CASE WHEN n % 4 = 0 THEN NULL ELSE decode(lpad(to_hex(n), 4, '0'), 'hex') END"
                        + " FROM generate_series(1, 300) n");
            }
            // ICU's order ('a' < 'B' < '_x' …) is not the destinations' (byte order): each side cuts the
            // ranges' rows differently, the table must still count as equal
            s.execute("CREATE TABLE t_e (k text COLLATE \"und-x-icu\", n int, v text, PRIMARY KEY (k, n))");
            s.execute("INSERT INTO t_e SELECT (ARRAY['a', 'B', 'c', 'D', '_x', 'Zz', '\u00e9t\u00e9'])[1 + i % 7],"
                    + " i, 'v' || i FROM generate_series(1, 200) i");
        }
        return url;
    }

    private static String postgresSection(String url, String schema) {
        JdbcUrl db = JdbcUrl.parse(url);
        return String.format(
                "{ type: postgres, host: %s, port: %d, database: %s, username: %s, password: \"%s\","
                        + " tables: [%s.t_a, %s.t_b, %s.t_c, %s.t_d, %s.t_e], chunk-size: 64 }",
                db.host(), db.port(), db.database(), db.user(), db.password(), schema, schema, schema, schema, schema);
    }

    private Path pipeline(String name, String source, String destination) throws Exception {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, String.format("""
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 500ms }
                source: %s
                staging: { path: "file://%s" }
                destination: %s
                """, name, source, tmp.resolve("staging-" + name), destination));
        return file;
    }

    private static void runSnapshot(Path file) {
        Result r = run("run", "--pipeline", file.toString(), "--snapshot-only");
        assertThat(r.exit()).as(r.out()).isZero();
    }

    private static void assertEqual(Path file) {
        Result r = run("verify", "--pipeline", file.toString(), "--settle-timeout", "0s");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("table(s) equal").doesNotContain("DIFFERS").doesNotContain("NOT COMPARED");
    }

    /** Deletes row 17 of t_a, changes a value of row 42 of t_b, adds row 100000 to t_c. */
    private static void drift(Connection d, String schema) throws Exception {
        try (Statement s = d.createStatement()) {
            s.execute("DELETE FROM " + schema + ".t_a WHERE id = 17");
            s.execute("UPDATE " + schema + ".t_b SET amount = amount + 0.001 WHERE id = 42");
            s.execute("CREATE TEMPORARY TABLE extra AS SELECT * FROM " + schema + ".t_c WHERE id = 1");
            s.execute("UPDATE extra SET id = 100000");
            s.execute("INSERT INTO " + schema + ".t_c SELECT * FROM extra");
        }
    }

    private static void assertDrift(Path file, String schema, String deleted, String changed, String extra) {
        Result r = run("verify", "--pipeline", file.toString(), "--settle-timeout", "0s");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out())
                .contains(schema + ".t_a differs")
                .contains("missing in the destination: 1 row(s), e.g. key " + deleted)
                .contains(schema + ".t_b differs")
                .contains("different values: 1 row(s), e.g. key " + changed)
                .contains(schema + ".t_c differs")
                .contains("extra in the destination: 1 row(s), e.g. key " + extra)
                .doesNotContain(schema + ".t_d differs")
                .doesNotContain(schema + ".t_e differs")
                .contains("table(s) differ: " + schema + ".t_a, " + schema + ".t_b, " + schema + ".t_c\n")
                .contains("repair: java -jar elt-cdc.jar resync --pipeline " + file + " --table " + schema + ".t_a\n")
                .contains("(not possible yet: the pipeline does not re-sync tables: set source.allow-resync: true");
        assertThat(r.out().lines().filter(l -> l.startsWith(schema + ".t_d ")))
                .singleElement()
                .asString()
                .endsWith("equal");
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
            System.out.print(buffer.toString(StandardCharsets.UTF_8));
        }
    }
}
