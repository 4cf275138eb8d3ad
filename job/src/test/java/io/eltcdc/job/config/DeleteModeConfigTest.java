package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code destination.delete-mode}: {@code hard} (default) or {@code soft}, for every destination type. */
class DeleteModeConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;
    private static final String BASE = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "file:///tmp/staging" }
            """;

    @Test
    void hardByDefault() throws Exception {
        DestinationSettings duckdb = parse("destination: { type: duckdb, path: /tmp/shop.duckdb }");
        DestinationSettings postgres = parse("destination: { type: postgres, host: h, database: dw, username: w }");

        assertThat(duckdb.deleteMode()).isEqualTo("hard");
        assertThat(postgres.deleteMode()).isEqualTo("hard");
        // Settings made without a delete mode mean hard deletes, and equal the parsed default.
        assertThat(duckdb)
                .isEqualTo(new DestinationSettings("duckdb", "/tmp/shop.duckdb", null, 0, null, null, null, null));
        assertThat(parse("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: }")
                        .deleteMode())
                .isEqualTo("hard");
    }

    @Test
    void softForEitherDestinationType() throws Exception {
        assertThat(parse("destination: { type: duckdb, path: /tmp/shop.duckdb, delete-mode: soft }"))
                .isEqualTo(
                        new DestinationSettings("duckdb", "/tmp/shop.duckdb", null, 0, null, null, null, null, "soft"));
        assertThat(parse("""
                destination:
                  type: postgres
                  host: warehouse
                  database: dw
                  username: w
                  schema: raw
                  delete-mode: soft
                """))
                .isEqualTo(
                        new DestinationSettings("postgres", null, "warehouse", 5432, "dw", "w", null, "raw", "soft"));
        assertThat(parse("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: hard }")
                        .deleteMode())
                .isEqualTo("hard");
    }

    @Test
    void matchedWithoutCaseAndFromTheEnvironment() throws Exception {
        assertThat(parse("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: \" Soft \" }")
                        .deleteMode())
                .isEqualTo("soft");
        PipelineConfig c = PipelineConfig.parse(
                BASE + "destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: \"${env:DELETES}\" }\n",
                Map.of("DELETES", "SOFT")::get);
        assertThat(c.destination().deleteMode()).isEqualTo("soft");
    }

    @Test
    void unknownValueNamesTheKeyAndTheAllowedValues() {
        ConfigException e = error("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: sfot }");
        assertThat(e.path()).isEqualTo("destination.delete-mode");
        assertThat(e)
                .hasMessage(
                        "destination.delete-mode: expected one of hard, soft, got \"sfot\"; did you mean \"soft\"?");

        ConfigException other =
                error("destination: { type: postgres, host: h, database: d, username: u," + " delete-mode: archive }");
        assertThat(other.path()).isEqualTo("destination.delete-mode");
        assertThat(other)
                .hasMessageStartingWith("destination.delete-mode: expected one of hard, soft, got \"archive\"");
    }

    @Test
    void wrongTypeSaysWhatWasFound() {
        ConfigException e = error("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: true }");
        assertThat(e.path()).isEqualTo("destination.delete-mode");
        assertThat(e)
                .hasMessageStartingWith("destination.delete-mode: expected one of hard, soft, got the boolean true");
        assertThat(error("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: [soft] }"))
                .hasMessage("destination.delete-mode: expected one of hard, soft, got a list");
    }

    @Test
    void misspelledKeyIsSuggested() {
        ConfigException e = error("destination: { type: duckdb, path: /tmp/x.duckdb, delete_mode: soft }");
        assertThat(e.path()).isEqualTo("destination");
        assertThat(e)
                .hasMessageStartingWith("destination: unknown key \"delete_mode\" (known keys: ")
                .hasMessageContaining("delete-mode")
                .hasMessageEndingWith("did you mean \"delete-mode\"?)");
    }

    private static DestinationSettings parse(String destination) throws ConfigException {
        return PipelineConfig.parse(BASE + destination + "\n", NO_ENV).destination();
    }

    private static ConfigException error(String destination) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> PipelineConfig.parse(BASE + destination + "\n", NO_ENV));
        assertThat(e).as("expected a ConfigException for %s", destination).isNotNull();
        return e;
    }
}
