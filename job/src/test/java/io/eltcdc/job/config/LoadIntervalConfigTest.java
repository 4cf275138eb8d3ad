package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eltcdc.config.ConfigException;
import io.eltcdc.destination.duckdb.DuckDbConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code destination.load-interval}: how often committed files are loaded, per destination type. */
class LoadIntervalConfigTest {
    private static final String BASE = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "file:///tmp/staging" }
            """;

    @Test
    void databasesLoadEveryCheckpointByDefault() throws Exception {
        assertThat(parse("destination: { type: duckdb, path: /tmp/shop.duckdb }")
                        .loadInterval())
                .isEqualTo(Duration.ZERO);
        assertThat(parse("destination: { type: postgres, host: h, database: dw, username: w }")
                        .loadInterval())
                .isEqualTo(Duration.ZERO);
        assertThat(parse("destination: { type: s3, path: \"file:///tmp/lake\" }")
                        .loadInterval())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void setForAnyType() throws Exception {
        DestinationSettings duckdb =
                parse("destination: { type: duckdb, path: /tmp/shop.duckdb, load-interval: 2min }");
        assertThat(duckdb.loadInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(((DuckDbConfig) duckdb.config()).path()).isEqualTo("/tmp/shop.duckdb");
        assertThat(parse("destination: { type: s3, path: \"file:///tmp/lake\", load-interval: 30s }")
                        .loadInterval())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("destination: { type: duckdb, path: /tmp/x.duckdb, load-interval: every-checkpoint }")
                        .loadInterval())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void badValueNamesTheKeyAndTheForm() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> parse("destination: { type: duckdb, path: /tmp/x.duckdb, load-interval: often }"));
        assertThat(e).hasMessageContaining("destination.load-interval").hasMessageContaining("duration");
        ConfigException noUnit = catchThrowableOfType(
                ConfigException.class,
                () -> parse("destination: { type: duckdb, path: /tmp/x.duckdb, load-interval: 60 }"));
        assertThat(noUnit).hasMessageContaining("destination.load-interval");
    }

    private static DestinationSettings parse(String destination) throws ConfigException {
        return PipelineConfig.parse(BASE + destination + "\n", name -> null).destination();
    }
}
