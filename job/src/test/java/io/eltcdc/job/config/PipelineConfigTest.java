package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.Secret;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.duckdb.DuckDbConfig;
import io.eltcdc.destination.postgres.PostgresConfig;
import io.eltcdc.sink.StagingRetention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    /** A minimal valid pipeline, one section per line so tests can replace one. */
    private static final String MINIMAL = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "file:///tmp/staging" }
            destination: { type: duckdb, path: /tmp/shop.duckdb }
            """;

    @TempDir
    Path tmp;

    @Test
    void fullConfigParsesToTheExpectedValues() throws Exception {
        PipelineConfig c = PipelineConfig.parse("""
                pipeline:
                  name: shop_2-b
                  parallelism: 2
                  checkpoint-interval: 5s
                  state-dir: file:///var/lib/elt-cdc/shop
                source:
                  type: postgres
                  host: db.example.com
                  port: 6543
                  database: shop
                  username: reader
                  password: p4ss
                  tables: [public.orders, public.customers, "hidden.Odd Table", audit.*]
                  chunk-size: 20000
                  primary-keys:
                    public.orders: [id]
                    audit.events: [tenant_id, event_id]
                staging:
                  path: s3://bucket/prefix
                  roll-size: 16mb
                  roll-interval: 2min
                  inactivity-interval: 30s
                  compression: snappy
                  s3:
                    endpoint: "http://127.0.0.1:9000"
                    access-key: k
                    secret-key: s3cr3t
                    path-style-access: true
                    region: us-east-1
                destination:
                  type: postgres
                  host: warehouse
                  port: 5433
                  database: dw
                  username: writer
                  password: w-pass
                  schema: raw
                """, NO_ENV);

        assertThat(c.pipeline())
                .isEqualTo(new PipelineSettings("shop_2-b", 2, Duration.ofSeconds(5), "file:///var/lib/elt-cdc/shop"));
        SourceSettings s = c.source();
        assertThat(s.type()).isEqualTo("postgres");
        assertThat(s.host()).isEqualTo("db.example.com");
        assertThat(s.port()).isEqualTo(6543);
        assertThat(s.database()).isEqualTo("shop");
        assertThat(s.username()).isEqualTo("reader");
        assertThat(s.password().value()).isEqualTo("p4ss");
        assertThat(s.tables()).containsExactly("public.orders", "public.customers", "hidden.Odd Table", "audit.*");
        assertThat(s.chunkSize()).isEqualTo(20000);
        assertThat(s.primaryKeys())
                .containsExactly(
                        Map.entry("public.orders", List.of("id")),
                        Map.entry("audit.events", List.of("tenant_id", "event_id")));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/shop");

        StagingSettings st = c.staging();
        assertThat(st.path()).isEqualTo("s3://bucket/prefix");
        assertThat(st.rollSize()).isEqualTo(MemorySize.ofMebiBytes(16));
        assertThat(st.rollInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(st.inactivityInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(st.compression()).isEqualTo("snappy");
        assertThat(st.s3())
                .isEqualTo(new S3Settings("http://127.0.0.1:9000", "k", new Secret("s3cr3t"), true, "us-east-1"));

        assertThat(c.destination().config())
                .isEqualTo(new PostgresConfig(
                        "warehouse", 5433, "dw", "writer", new Secret("w-pass"), "raw", DeleteMode.HARD));
        assertThat(((PostgresConfig) c.destination().config()).jdbcUrl())
                .isEqualTo("jdbc:postgresql://warehouse:5433/dw");
    }

    @Test
    void defaultsApplyWhenKeysAreAbsent() throws Exception {
        PipelineConfig c = PipelineConfig.parse(MINIMAL, NO_ENV);

        assertThat(c.pipeline()).isEqualTo(new PipelineSettings("shop", 1, Duration.ofSeconds(10), null));
        assertThat(c.source())
                .isEqualTo(new SourceSettings(
                        "postgres",
                        "127.0.0.1",
                        5432,
                        "shop",
                        "u",
                        null,
                        List.of("public.orders"),
                        50_000,
                        Map.of(),
                        null,
                        null,
                        Duration.ofSeconds(30)));
        assertThat(c.source().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/shop");
        assertThat(c.staging())
                .isEqualTo(new StagingSettings(
                        "file:///tmp/staging",
                        MemorySize.parse("64mb"),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(15),
                        "none",
                        StagingRetention.delete(),
                        null));
        assertThat(c.destination())
                .isEqualTo(new DestinationSettings(
                        "duckdb", new DuckDbConfig("/tmp/shop.duckdb", null, DeleteMode.HARD), Duration.ZERO, 1));
    }

    @Test
    void plainAbsolutePathsBecomeFileUris() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                MINIMAL.replace("pipeline: { name: shop }", "pipeline: { name: shop, state-dir: /var/lib/x }")
                        .replace("\"file:///tmp/staging\"", "/data/staging area"),
                NO_ENV);

        assertThat(c.pipeline().stateDir()).isEqualTo("file:///var/lib/x");
        assertThat(c.staging().path()).isEqualTo("file:///data/staging area");
    }

    @Test
    void postgresDestinationDefaultsPortAndAllowsNoPassword() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                with(
                        MINIMAL,
                        "destination",
                        "destination: { type: postgres, host: \"::1\", database: dw, username: w }"),
                NO_ENV);

        PostgresConfig postgres = (PostgresConfig) c.destination().config();
        assertThat(postgres).isEqualTo(new PostgresConfig("::1", 5432, "dw", "w", null, null, DeleteMode.HARD));
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/dw");
    }

    // ---- errors: each names the key path and what is expected

    @Test
    void unknownKeyIsNamedWithTheKnownKeysAndASuggestion() {
        ConfigException e = error(with(MINIMAL, "staging", "staging: { path: /tmp/s, rol-size: 1mb }"));

        assertThat(e.path()).isEqualTo("staging");
        assertThat(e)
                .hasMessage("staging: unknown key \"rol-size\" (known keys: path, roll-size, roll-interval, "
                        + "inactivity-interval, compression, retention, s3; did you mean \"roll-size\"?)");

        assertThat(error(MINIMAL.replace("source:", "sorce:")))
                .hasMessageStartingWith("unknown top-level key \"sorce\"")
                .hasMessageContaining("did you mean \"source\"?");
        assertThat(error(with(
                        MINIMAL,
                        "source",
                        "source: { type: postgres, host: h, database: d, username: u, "
                                + "tables: [a.b], chunk_size: 5 }")))
                .hasMessageStartingWith("source: unknown key \"chunk_size\"")
                .hasMessageContaining("did you mean \"chunk-size\"?");
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: shop, colour: blue }")))
                .hasMessage("pipeline: unknown key \"colour\" (known keys: name, parallelism, checkpoint-interval, "
                        + "state-dir)");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        ConfigException e = error(with(
                MINIMAL, "source", "source: { type: postgres, database: shop, username: u, tables: [public.orders] }"));
        assertThat(e.path()).isEqualTo("source.host");
        assertThat(e).hasMessage("source.host: required key is missing (expected a non-empty string)");

        assertThat(error(MINIMAL.replace("staging: { path: \"file:///tmp/staging\" }\n", "")))
                .hasMessage("staging: required section is missing (expected a mapping of its keys)");
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: \"\" }")))
                .hasMessage("pipeline.name: has no value (expected a non-empty string)");
        assertThat(error(with(MINIMAL, "destination", "destination: { type: postgres, database: d, username: u }")))
                .hasMessage("destination.host: required key is missing (a postgres destination needs the server's "
                        + "host name)");
        assertThat(error(with(MINIMAL, "destination", "destination: { type: duckdb }")))
                .hasMessageStartingWith("destination.path: required key is missing");
    }

    @Test
    void wrongTypeSaysWhatWasFoundAndExpected() {
        ConfigException e = error(with(
                MINIMAL,
                "source",
                "source: { type: postgres, host: h, database: d, "
                        + "username: u, tables: [public.orders], chunk-size: abc }"));
        assertThat(e.path()).isEqualTo("source.chunk-size");
        assertThat(e).hasMessage("source.chunk-size: expected a positive integer, got \"abc\"");

        assertThat(error(with(MINIMAL, "source", "source: postgres")))
                .hasMessage("source: expected a mapping (nested key: value pairs), got \"postgres\"");
        assertThat(error(with(
                        MINIMAL,
                        "source",
                        "source: { type: postgres, host: h, database: d, username: u, tables: public.orders }")))
                .hasMessage("source.tables: expected a list of schema.table names or schema.* patterns, "
                        + "got \"public.orders\"; write it as a list: [public.orders]");
        assertThat(error(with(
                        MINIMAL,
                        "source",
                        "source: { type: postgres, host: h, database: d, username: [u], tables: [a.b] }")))
                .hasMessage("source.username: expected a string, got a list");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: /tmp/s, s3: { path-style-access: maybe } }")
                        .replace("/tmp/s", "s3://b/p")))
                .hasMessage("staging.s3.path-style-access: expected true or false, got \"maybe\"");
    }

    @Test
    void badDurationSaysWhatADurationLooksLike() {
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: shop, checkpoint-interval: 5 parsecs }")))
                .hasMessage("pipeline.checkpoint-interval: expected a duration such as 10s, 500ms, 2min or 1h, "
                        + "got \"5 parsecs\"");
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: shop, checkpoint-interval: 10 }")))
                .hasMessage("pipeline.checkpoint-interval: expected a duration such as 10s, 500ms, 2min or 1h, "
                        + "got 10 without a unit; add a unit, e.g. 10s");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: /tmp/s, roll-interval: 0s }")))
                .hasMessage("staging.roll-interval: expected a positive duration, got \"0s\"");
    }

    @Test
    void badSizeSaysWhatASizeLooksLike() {
        ConfigException e = error(with(MINIMAL, "staging", "staging: { path: /tmp/s, roll-size: lots }"));
        assertThat(e.path()).isEqualTo("staging.roll-size");
        assertThat(e).hasMessage("staging.roll-size: expected a size such as 64mb, 512kb or 1gb, got \"lots\"");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: /tmp/s, roll-size: 64 }")))
                .hasMessageStartingWith(
                        "staging.roll-size: expected a size such as 64mb, 512kb or 1gb, got 64 " + "without a unit");
    }

    @Test
    void unknownTypeListsTheKnownTypes() {
        assertThat(error(MINIMAL.replace("type: postgres", "type: oracle")))
                .hasMessage("source.type: expected one of postgres, mysql, got \"oracle\"");
        ConfigException e = error(with(MINIMAL, "destination", "destination: { type: duck, path: /tmp/x }"));
        assertThat(e.path()).isEqualTo("destination.type");
        // The types are the destination providers on the class path, by name.
        assertThat(e)
                .hasMessageStartingWith("destination.type: expected one of ")
                .hasMessageContaining("duckdb, postgres, ")
                .hasMessageEndingWith(", got \"duck\"; did you mean \"duckdb\"?");
        // A type no provider has, and no typo of one: perhaps a destination whose jar was not added.
        assertThat(error(with(MINIMAL, "destination", "destination: { type: Teradata, host: h }")))
                .hasMessageStartingWith("destination.type: expected one of ")
                .hasMessageEndingWith(", got \"Teradata\"; a destination that is not in the job jar is a jar of its"
                        + " own: add elt-cdc-teradata.jar to the job's class path (see \"Which jar is for what\" in"
                        + " the README)");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: /tmp/s, compression: gzip }")))
                .hasMessage("staging.compression: expected one of none, deflate, snappy, got \"gzip\"");
    }

    @Test
    void parallelismOutOfRange() {
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: shop, parallelism: 0 }")))
                .hasMessage("pipeline.parallelism: expected an integer from 1 to 1024, got 0");
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: shop, parallelism: 2000 }")))
                .hasMessage("pipeline.parallelism: expected an integer from 1 to 1024, got 2000");
        assertThat(error(with(
                        MINIMAL,
                        "source",
                        "source: { type: postgres, host: h, database: d, username: u, "
                                + "tables: [a.b], chunk-size: 0 }")))
                .hasMessage("source.chunk-size: expected a positive integer, got 0");
        assertThat(error(with(
                        MINIMAL,
                        "source",
                        "source: { type: postgres, host: h, port: 70000, database: d, "
                                + "username: u, tables: [a.b] }")))
                .hasMessage("source.port: expected an integer from 1 to 65535, got 70000");
    }

    @Test
    void badPipelineName() {
        assertThat(error(with(MINIMAL, "pipeline", "pipeline: { name: \"my shop\" }")))
                .hasMessage("pipeline.name: expected letters, digits, _ and - (starting with a letter or digit), "
                        + "got \"my shop\"; the name is used in file names and ledger rows");
    }

    @Test
    void badTableName() {
        ConfigException e = error(MINIMAL.replace("[public.orders]", "[public.orders, orders]"));
        assertThat(e.path()).isEqualTo("source.tables[1]");
        assertThat(e)
                .hasMessage("source.tables[1]: expected schema.table or schema.*, got \"orders\", "
                        + "which names no schema (e.g. public.orders)");
        assertThat(error(MINIMAL.replace("[public.orders]", "[public.]")))
                .hasMessage(
                        "source.tables[0]: expected schema.table or schema.*, got \"public.\", whose table is empty");
        assertThat(error(MINIMAL.replace("[public.orders]", "[public.order_*]")))
                .hasMessageStartingWith("source.tables[0]: expected schema.table or schema.*, got \"public.order_*\"");
        assertThat(error(MINIMAL.replace("[public.orders]", "[]")))
                .hasMessage("source.tables: expected a list of schema.table names or schema.* patterns, "
                        + "got an empty list");
    }

    @Test
    void tableNamesSplitAtTheFirstDot() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                MINIMAL.replace("[public.orders]", "[\"hidden.Odd Table\", hidden.dot.ted]")
                        .replace("tables:", "primary-keys: { hidden.dot.ted: [id] }, tables:"),
                NO_ENV);
        assertThat(c.source().tables()).containsExactly("hidden.Odd Table", "hidden.dot.ted");
        assertThat(c.source().primaryKeys()).containsEntry("hidden.dot.ted", List.of("id"));
    }

    @Test
    void environmentReferencesAreResolvedInStringValues() throws Exception {
        Map<String, String> env = Map.of("PGPASS", "from-env", "DB_ENV", "prod", "PGPORT", "6000", "RS", "8mb");
        PipelineConfig c = PipelineConfig.parse(
                with(MINIMAL, "source", """
                source:
                  type: postgres
                  host: db-${env:DB_ENV}.internal
                  port: ${env:PGPORT}
                  database: shop
                  username: u
                  password: ${env:PGPASS}
                  tables: [public.orders]""")
                        .replace(
                                "path: \"file:///tmp/staging\"",
                                "path: \"file:///tmp/${env:DB_ENV}\", roll-size: \"${env:RS}\""),
                env::get);

        assertThat(c.source().host()).isEqualTo("db-prod.internal");
        assertThat(c.source().port()).isEqualTo(6000);
        assertThat(c.source().password().value()).isEqualTo("from-env");
        assertThat(c.staging().path()).isEqualTo("file:///tmp/prod");
        assertThat(c.staging().rollSize()).isEqualTo(MemorySize.ofMebiBytes(8));
    }

    @Test
    void unsetEnvironmentVariableNamesTheKeyAndTheVariable() {
        ConfigException e = error(MINIMAL.replace("username: u", "username: u, password: \"${env:PGPASS}\""));
        assertThat(e.path()).isEqualTo("source.password");
        assertThat(e).hasMessageStartingWith("source.password: environment variable PGPASS is not set");
        assertThat(error(MINIMAL.replace("username: u", "username: \"${env:}\"")))
                .hasMessageStartingWith("source.username: malformed environment reference");
        assertThat(error(MINIMAL.replace("username: u", "username: ${env:USER}")))
                .hasMessageStartingWith("not valid YAML at line 2")
                .hasMessageEndingWith("; a value containing ${env:…} inside { … } must be quoted");
    }

    @Test
    void primaryKeysForATableNotSelected() {
        ConfigException e = error(MINIMAL.replace("tables:", "primary-keys: { public.events: [id] }, tables:"));
        assertThat(e.path()).isEqualTo("source.primary-keys.public.events");
        assertThat(e)
                .hasMessage("source.primary-keys.public.events: table public.events is not selected by "
                        + "source.tables [public.orders]; add it there or remove this entry");
        assertThat(error(MINIMAL.replace("tables:", "primary-keys: { public.orders: [] }, tables:")))
                .hasMessage(
                        "source.primary-keys.public.orders: expected a list of key column names, got an empty list");
        assertThat(error(MINIMAL.replace("tables:", "primary-keys: { public.*: [id] }, tables:")))
                .hasMessageStartingWith(
                        "source.primary-keys.public.*: expected a single schema.table, got the pattern");
    }

    @Test
    void primaryKeysMayNameATableOfASelectedSchemaPattern() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                MINIMAL.replace("[public.orders]", "[public.*]")
                        .replace("tables:", "primary-keys: { public.events: [tenant_id, event_id] }, tables:"),
                NO_ENV);
        assertThat(c.source().primaryKeys()).isEqualTo(Map.of("public.events", List.of("tenant_id", "event_id")));
    }

    @Test
    void s3SectionNeedsAnS3Path() {
        ConfigException e = error(with(
                MINIMAL,
                "staging",
                "staging: { path: \"file:///tmp/s\", s3: { endpoint: \"http://127.0.0.1:9000\" } }"));
        assertThat(e.path()).isEqualTo("staging.s3");
        assertThat(e)
                .hasMessage(
                        "staging.s3: an s3 section needs an s3:// or s3a:// staging.path (or "
                                + "pipeline.state-dir), but staging.path is \"file:///tmp/s\"; remove the section or stage to S3");
    }

    @Test
    void stagingPathMustBeAbsoluteWithAKnownScheme() {
        assertThat(error(with(MINIMAL, "staging", "staging: { path: staging }")))
                .hasMessage("staging.path: expected an absolute path, file:///dir, s3://bucket/prefix or "
                        + "s3a://bucket/prefix, got the relative path \"staging\"");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: \"hdfs://nn/x\" }")))
                .hasMessageStartingWith("staging.path: unsupported scheme \"hdfs\"");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: \"file://tmp/x\" }")))
                .hasMessageContaining("three slashes: file:///tmp/x");
        assertThat(error(with(MINIMAL, "staging", "staging: { path: \"s3:///prefix\" }")))
                .hasMessageStartingWith("staging.path: expected s3://bucket/prefix");
    }

    @Test
    void keyOfTheOtherDestinationTypeIsRejected() {
        assertThat(error(with(MINIMAL, "destination", "destination: { type: duckdb, path: /x.db, host: h }")))
                .hasMessage("destination: key \"host\" does not apply to a duckdb destination (its keys: type, path, "
                        + "schema, delete-mode, load-interval, load-parallelism)");
    }

    @Test
    void syntaxErrorGivesLineAndColumnButNoSnippet() {
        ConfigException e = error("""
                pipeline: { name: shop }
                source:
                  password: "hunter2
                  host: x
                """);
        assertThat(e.path()).isEmpty();
        assertThat(e.getMessage()).startsWith("not valid YAML at line ").doesNotContain("hunter2");

        assertThat(error("pipeline:\n  name: shop\n bad: indent\n"))
                .hasMessageStartingWith("not valid YAML at line 3, column 2:");
        assertThat(error("pipeline: { name: a }\npipeline: { name: b }\n"))
                .hasMessageContaining("found duplicate key pipeline");
    }

    @Test
    void emptyOrNonMappingFile() {
        assertThat(error(""))
                .hasMessage(
                        "the file is empty; expected a mapping with the sections pipeline, source, staging and destination");
        assertThat(error("# only a comment\n")).hasMessageStartingWith("the file is empty");
        assertThat(error("- a\n- b\n"))
                .hasMessage(
                        "expected a mapping with the sections pipeline, source, staging and destination, got a list");
    }

    @Test
    void secretsAppearInNoToStringAndNoMessage() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                MINIMAL.replace("username: u", "username: u, password: sup3rs3cret")
                        .replace(
                                "path: \"file:///tmp/staging\"",
                                "path: \"s3://b/p\", s3: { access-key: ak, secret-key: k3y-s3cr3t }"),
                NO_ENV);

        assertThat(c.source().password().value()).isEqualTo("sup3rs3cret");
        assertThat(c.source().password()).hasToString("****");
        assertThat(c.source().toString()).contains("password=****").doesNotContain("sup3rs3cret");
        assertThat(c.toString()).doesNotContain("sup3rs3cret").doesNotContain("k3y-s3cr3t");
        assertThat(c.staging().s3().toString()).contains("secretKey=****");

        ConfigException e = error(MINIMAL.replace("username: u", "username: u, password: 98765"));
        assertThat(e)
                .hasMessageStartingWith("source.password: expected a string, got a number")
                .hasMessageNotContaining("98765");
    }

    @Test
    void loadReportsAMissingFileWithItsPathAndReason() throws Exception {
        Path missing = tmp.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PipelineConfig.load(missing));
        assertThat(e).hasMessage("cannot read pipeline file " + missing + ": no such file");

        ConfigException dir = catchThrowableOfType(ConfigException.class, () -> PipelineConfig.load(tmp));
        assertThat(dir).hasMessageStartingWith("cannot read pipeline file " + tmp + ": ");

        Path file = tmp.resolve("ok.yaml");
        Files.writeString(file, MINIMAL);
        assertThat(PipelineConfig.load(file).pipeline().name()).isEqualTo("shop");
    }

    private static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PipelineConfig.parse(yaml, NO_ENV));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        return e;
    }

    /** {@code yaml} with the line of {@code section} replaced by {@code line}. */
    private static String with(String yaml, String section, String line) {
        return yaml.replaceAll("(?m)^" + section + ":.*$", java.util.regex.Matcher.quoteReplacement(line));
    }
}
