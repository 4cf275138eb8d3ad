package io.eltcdc.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.LogPositions;
import io.eltcdc.source.log.LogSourceFactory;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestMySql;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The binlog position taken before a MySQL snapshot, and the clear failure when that binlog is gone. */
class MySqlBinlogRecorderTest {
    private static final TableSchema ORDERS = new TableSchema(
            new TableId("cdc_binlog_test", "orders"),
            List.of(new Column("id", ColumnType.INT64, 0, 0, false, "bigint")),
            List.of("id"));
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestMySql.createDatabase("cdc_binlog_test");
        try (Connection c = TestMySql.connect(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY)");
        }
    }

    @Test
    void recordsTheCurrentBinlogFileAndOffsetWhichLaterChangesFollow() throws Exception {
        try (Connection c = TestMySql.connect(url);
                Statement s = c.createStatement()) {
            LogStart start = new MySqlBinlogRecorder().record(c, List.of(ORDERS));
            s.execute("INSERT INTO orders VALUES (1)");
            LogStart after = MySqlBinlog.currentPosition(c);

            assertThat(MySqlBinlog.files(c)).contains(start.binlogFile());
            assertThat(start.binlogOffset()).isPositive();
            assertThat(start.position())
                    .isEqualTo(LogPositions.mysqlSnapshot(start.binlogFile(), start.binlogOffset()));
            assertThat(after.position())
                    .as("the insert's event comes after the start")
                    .isGreaterThan(start.position());
        }
    }

    @Test
    void aPurgedBinlogStopsTheLogSourceWithAReSyncMessage() {
        JdbcUrl parts = TestMySql.parts(url);
        CdcSourceConfig config = new CdcSourceConfig(
                MySqlSourceKind.INSTANCE,
                parts.host(),
                parts.port(),
                parts.database(),
                parts.user(),
                parts.password(),
                List.of(ORDERS),
                null,
                null,
                "5400",
                "UTC",
                Duration.ofSeconds(10));
        LogStart purged = LogStart.mysql("mysql-bin.000000", 4);

        assertThatThrownBy(() -> new LogSourceFactory(config).checkLogStillThere(purged))
                .isInstanceOf(LogSourceFactory.LogGoneException.class)
                .hasMessageContaining("binlog file mysql-bin.000000")
                .hasMessageContaining("has been purged")
                .hasMessageContaining("re-sync is needed");
    }
}
