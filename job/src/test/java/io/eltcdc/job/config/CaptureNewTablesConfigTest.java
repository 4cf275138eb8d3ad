package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.config.ConfigException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code source.capture-new-tables}: off unless set, a boolean. */
class CaptureNewTablesConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    private static String pipeline(String extra) {
        return "pipeline: { name: shop }\n"
                + "source: { type: postgres, host: db, database: shop, username: u, tables: [shop.*]" + extra + " }\n"
                + "staging: { path: \"file:///tmp/staging\" }\n"
                + "destination: { type: duckdb, path: /tmp/shop.duckdb }\n";
    }

    @Test
    void offByDefault() throws Exception {
        assertThat(PipelineConfig.parse(pipeline(""), NO_ENV).source().captureNewTables())
                .isFalse();
    }

    @Test
    void turnedOnAndOff() throws Exception {
        assertThat(PipelineConfig.parse(pipeline(", capture-new-tables: true"), NO_ENV)
                        .source()
                        .captureNewTables())
                .isTrue();
        assertThat(PipelineConfig.parse(pipeline(", capture-new-tables: false"), NO_ENV)
                        .source()
                        .captureNewTables())
                .isFalse();
        assertThat(PipelineConfig.parse(pipeline(", capture-new-tables: \"true\""), NO_ENV)
                        .source()
                        .captureNewTables())
                .isTrue();
    }

    @Test
    void forMySqlToo() throws Exception {
        String yaml = pipeline(", capture-new-tables: true").replace("type: postgres", "type: mysql");
        assertThat(PipelineConfig.parse(yaml, NO_ENV).source().captureNewTables())
                .isTrue();
    }

    @Test
    void aNonBooleanIsRejectedWithItsPath() {
        assertThatThrownBy(() -> PipelineConfig.parse(pipeline(", capture-new-tables: sometimes"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.capture-new-tables")
                .hasMessageContaining("true or false");
    }

    @Test
    void aMisspeltKeyIsRejected() {
        assertThatThrownBy(() -> PipelineConfig.parse(pipeline(", capture-new-table: true"), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("capture-new-table");
    }
}
