package io.eltcdc.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.config.ConfigException;
import io.eltcdc.source.mysql.MySqlSourceKind;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The {@code source} keys of continuous sync and of the MySQL source. */
class SourceConfigTest {
    private static final Function<String, String> NO_ENV = name -> null;

    private static String pipeline(String source) {
        return "pipeline: { name: shop }\n"
                + "source: " + source + "\n"
                + "staging: { path: \"file:///tmp/staging\" }\n"
                + "destination: { type: duckdb, path: /tmp/shop.duckdb }\n";
    }

    @Test
    void mysqlSourceDefaultsToPort3306AndAMySqlUrl() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                pipeline("{ type: mysql, host: db, database: shop, username: u, tables: [shop.orders] }"), NO_ENV);

        assertThat(c.source().kind()).isSameAs(MySqlSourceKind.INSTANCE);
        assertThat(c.source().port()).isEqualTo(3306);
        assertThat(c.source().jdbcUrl()).isEqualTo("jdbc:mysql://db:3306/shop");
        assertThat(c.source().serverId()).isNull();
        assertThat(c.source().serverTimeZone()).isNull();
        assertThat(c.source().heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void mysqlKeysAreRead() throws Exception {
        PipelineConfig c = PipelineConfig.parse(
                pipeline("{ type: mysql, host: db, database: shop, username: u,"
                        + " tables: [shop.orders], server-id: 5400-5403, server-time-zone: Europe/Berlin,"
                        + " heartbeat-interval: 5s }"),
                NO_ENV);

        assertThat(c.source().serverId()).isEqualTo("5400-5403");
        assertThat(c.source().serverTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(c.source().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badServerIdIsRejectedWithItsPath() {
        assertThatThrownBy(() -> PipelineConfig.parse(
                        pipeline("{ type: mysql, host: db, database: shop,"
                                + " username: u, tables: [shop.orders], server-id: abc }"),
                        NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.server-id")
                .hasMessageContaining("5400-5403");
    }

    @Test
    void serverIdIsRejectedForPostgres() {
        assertThatThrownBy(() -> PipelineConfig.parse(
                        pipeline("{ type: postgres, host: db, database: shop,"
                                + " username: u, tables: [public.orders], server-id: 5400 }"),
                        NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.server-id")
                .hasMessageContaining("mysql only");
    }

    @Test
    void unknownTimeZoneIsRejected() {
        assertThatThrownBy(() -> PipelineConfig.parse(
                        pipeline("{ type: mysql, host: db, database: shop,"
                                + " username: u, tables: [shop.orders], server-time-zone: Mars/Olympus }"),
                        NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.server-time-zone")
                .hasMessageContaining("Mars/Olympus");
    }
}
