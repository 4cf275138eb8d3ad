package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.duckdb.DuckDbConfig;
import io.eltcdc.destination.postgres.PostgresConfig;
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

        assertThat(deleteMode(duckdb)).isEqualTo(DeleteMode.HARD);
        assertThat(deleteMode(postgres)).isEqualTo(DeleteMode.HARD);
        assertThat(duckdb.config()).isEqualTo(new DuckDbConfig("/tmp/shop.duckdb", null, DeleteMode.HARD));
        assertThat(deleteMode(parse("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: }")))
                .isEqualTo(DeleteMode.HARD);
    }

    @Test
    void softForEitherDestinationType() throws Exception {
        assertThat(parse("destination: { type: duckdb, path: /tmp/shop.duckdb, delete-mode: soft }")
                        .config())
                .isEqualTo(new DuckDbConfig("/tmp/shop.duckdb", null, DeleteMode.SOFT));
        assertThat(parse("""
                destination:
                  type: postgres
                  host: warehouse
                  database: dw
                  username: w
                  schema: raw
                  delete-mode: soft
                """).config())
                .isEqualTo(new PostgresConfig("warehouse", 5432, "dw", "w", null, "raw", DeleteMode.SOFT));
        assertThat(deleteMode(parse("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: hard }")))
                .isEqualTo(DeleteMode.HARD);
    }

    @Test
    void matchedWithoutCaseAndFromTheEnvironment() throws Exception {
        assertThat(deleteMode(parse("destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: \" Soft \" }")))
                .isEqualTo(DeleteMode.SOFT);
        PipelineConfig c = PipelineConfig.parse(
                BASE + "destination: { type: duckdb, path: /tmp/x.duckdb, delete-mode: \"${env:DELETES}\" }\n",
                Map.of("DELETES", "SOFT")::get);
        assertThat(deleteMode(c.destination())).isEqualTo(DeleteMode.SOFT);
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

    private static DeleteMode deleteMode(DestinationSettings d) {
        return d.config() instanceof DuckDbConfig duckdb
                ? duckdb.deleteMode()
                : ((PostgresConfig) d.config()).deleteMode();
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
