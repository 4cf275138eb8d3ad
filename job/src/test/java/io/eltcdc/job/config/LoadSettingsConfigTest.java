package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.config.ConfigException;
import io.eltcdc.sink.StagingRetention;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code staging.retention} and {@code destination.load-parallelism}. */
class LoadSettingsConfigTest {
    private static final String PIPELINE = """
            pipeline: { name: shop }
            source: { type: postgres, host: 127.0.0.1, database: shop, username: u, tables: [public.orders] }
            staging: { path: "file:///tmp/staging" %s }
            destination: { %s }
            """;
    private static final String DUCKDB = "type: duckdb, path: /tmp/shop.duckdb";
    private static final String POSTGRES = "type: postgres, host: h, database: d, username: u";

    private static PipelineConfig parse(String staging, String destination) throws ConfigException {
        return PipelineConfig.parse(String.format(PIPELINE, staging, destination), name -> null);
    }

    @Test
    void loadedFilesAreDeletedUnlessKeptOrKeptForATime() throws Exception {
        assertThat(parse("", DUCKDB).staging().retention()).isEqualTo(StagingRetention.delete());
        assertThat(parse(", retention: delete", DUCKDB).staging().retention()).isEqualTo(StagingRetention.delete());
        assertThat(parse(", retention: keep", DUCKDB).staging().retention()).isEqualTo(StagingRetention.keep());
        assertThat(parse(", retention: 7d", DUCKDB).staging().retention())
                .isEqualTo(StagingRetention.after(Duration.ofDays(7)));
    }

    @Test
    void aRetentionThatIsNoneOfTheFormsIsNamedWithThem() {
        assertThatThrownBy(() -> parse(", retention: forever", DUCKDB))
                .isInstanceOf(ConfigException.class)
                .hasMessage("staging.retention: expected delete, keep, or how long to keep loaded files (such as 7d),"
                        + " got \"forever\"");
    }

    @Test
    void loadParallelismDefaultsByTypeAndIsRead() throws Exception {
        assertThat(parse("", DUCKDB).destination().loadParallelism()).isEqualTo(1);
        assertThat(parse("", POSTGRES).destination().loadParallelism()).isEqualTo(4);
        assertThat(parse("", POSTGRES + ", load-parallelism: 2").destination().loadParallelism())
                .isEqualTo(2);
    }

    @Test
    void aSingleWriterDestinationRefusesParallelLoads() {
        assertThatThrownBy(() -> parse("", DUCKDB + ", load-parallelism: 2"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("destination.load-parallelism: a duckdb destination runs at most 1 load at once, got 2;"
                        + " set it to 1 or remove the key");
        assertThatThrownBy(() -> parse("", POSTGRES + ", load-parallelism: 0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.load-parallelism: expected an integer from 1 to 1024, got 0");
    }
}
