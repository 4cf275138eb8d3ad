package io.eltcdc.source.postgres;

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
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The slot and publication made before the snapshot, and the clear failure when the slot is gone. */
class PostgresSlotRecorderTest {
    private static final TableSchema ORDERS = new TableSchema(
            new TableId("public", "orders"),
            List.of(new Column("id", ColumnType.INT64, 0, 0, false, "bigint")),
            List.of("id"));
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestPostgres.createDatabase("cdc_slot_test");
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.orders (id bigint PRIMARY KEY)");
            s.execute("CREATE TABLE public.other (id bigint PRIMARY KEY)");
        }
    }

    @Test
    void createsThePublicationThenTheSlotAndReturnsItsRestartLsn() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            long before = currentLsn(c);
            LogStart start = new PostgresSlotRecorder("elt_cdc_rec1", "elt_cdc_rec1").record(c, List.of(ORDERS));
            long after = currentLsn(c);

            assertThat(start.position().low()).isZero();
            assertThat(start.position().high()).isBetween(0L, after);
            assertThat(start.binlogFile()).isNull();
            assertThat(publishedTables(c, "elt_cdc_rec1")).containsExactly("public.orders");
            assertThat(PostgresSlots.restartLsn(c, "elt_cdc_rec1"))
                    .isEqualTo(start.position().high());
            assertThat(before).isLessThanOrEqualTo(after);

            // Again (an attempt that stopped before its first checkpoint): the same slot, from its restart LSN.
            LogStart again = new PostgresSlotRecorder("elt_cdc_rec1", "elt_cdc_rec1").record(c, List.of(ORDERS));
            assertThat(again).isEqualTo(start);

            assertThat(PostgresSlots.drop(c, "elt_cdc_rec1", "elt_cdc_rec1")).isTrue();
            assertThat(PostgresSlots.exists(c, "elt_cdc_rec1")).isFalse();
            assertThat(publishedTables(c, "elt_cdc_rec1")).isEmpty();
        }
    }

    @Test
    void aDroppedSlotStopsTheLogSourceWithAReSyncMessage() throws Exception {
        JdbcUrl parts = JdbcUrl.parse(url);
        CdcSourceConfig config = new CdcSourceConfig(
                PostgresSourceKind.INSTANCE,
                parts.host(),
                parts.port(),
                parts.database(),
                parts.user(),
                parts.password(),
                List.of(ORDERS),
                "elt_cdc_gone",
                "elt_cdc_gone",
                null,
                "UTC",
                Duration.ofSeconds(10));

        assertThatThrownBy(() -> new LogSourceFactory(config).create(() -> null))
                .as("no restart brings the slot back")
                .isInstanceOf(SuppressRestartsException.class)
                .cause()
                .isInstanceOf(LogSourceFactory.LogGoneException.class)
                .hasMessageContaining("replication slot 'elt_cdc_gone'")
                .hasMessageContaining("no longer exists")
                .hasMessageContaining("re-sync is needed");
    }

    private static long currentLsn(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return LogPositions.parseLsn(rs.getString(1));
        }
    }

    private static List<String> publishedTables(Connection c, String publication) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = '"
                                + publication + "' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
