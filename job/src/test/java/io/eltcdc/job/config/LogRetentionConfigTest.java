package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.config.ConfigException;
import io.eltcdc.source.log.LogRetention;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code source.max-log-retention} and {@code source.on-log-retention-limit}. */
class LogRetentionConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    private static PipelineConfig parse(String type, String keys) throws Exception {
        return PipelineConfig.parse(
                "pipeline: { name: shop }\n"
                        + "source: { type: " + type + ", host: db, database: shop, username: u, tables: [shop.orders]"
                        + (keys.isEmpty() ? "" : ", " + keys) + " }\n"
                        + "staging: { path: \"file:///tmp/staging\" }\n"
                        + "destination: { type: duckdb, path: /tmp/shop.duckdb }\n",
                NO_ENV);
    }

    @Test
    void noLimitByDefault() throws Exception {
        assertThat(parse("postgres", "").source().logRetention()).isEqualTo(LogRetention.UNLIMITED);
    }

    @Test
    void aLimitStopsByDefault() throws Exception {
        LogRetention r = parse("postgres", "max-log-retention: 50gb").source().logRetention();
        assertThat(r).isEqualTo(new LogRetention(50L << 30, false));
        assertThat(r.toString()).isEqualTo("50.0 GB, then stop");
    }

    @Test
    void dropSlotIsRead() throws Exception {
        LogRetention r = parse("postgres", "max-log-retention: 512mb, on-log-retention-limit: drop-slot")
                .source()
                .logRetention();
        assertThat(r).isEqualTo(new LogRetention(512L << 20, true));
    }

    @Test
    void aBareNumberAsksForAUnit() {
        assertThatThrownBy(() -> parse("postgres", "max-log-retention: 50"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.max-log-retention");
    }

    @Test
    void anUnknownActionIsRejectedNamingTheChoices() {
        assertThatThrownBy(() -> parse("postgres", "max-log-retention: 1gb, on-log-retention-limit: purge"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.on-log-retention-limit")
                .hasMessageContaining("drop-slot");
    }

    @Test
    void theActionNeedsALimit() {
        assertThatThrownBy(() -> parse("postgres", "on-log-retention-limit: drop-slot"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.on-log-retention-limit")
                .hasMessageContaining("source.max-log-retention");
    }

    @Test
    void mysqlHasNoLimit() {
        assertThatThrownBy(() -> parse("mysql", "max-log-retention: 1gb"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.max-log-retention")
                .hasMessageContaining("postgres only");
    }
}
