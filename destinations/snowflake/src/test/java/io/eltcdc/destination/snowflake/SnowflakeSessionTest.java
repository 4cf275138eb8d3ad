package io.eltcdc.destination.snowflake;

import static io.eltcdc.destination.snowflake.RecordingConnection.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.model.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a session runs before its loads, recorded on a fake connection: the session settings on
 * every connect and reconnect, and the abort of a load transaction that a lost session left open.
 */
class SnowflakeSessionTest {
    private static final SnowflakeStage STAGE = SnowflakeStage.withIntegration("s3://bucket/staging", "ELT_S3");
    private static final SnowflakeConnectionSettings SETTINGS =
            SnowflakeConnectionSettings.withPassword("acct", "ELT", "pw", null, "WH", "DB");
    private static final TargetTable ITEMS = TargetTable.of(null, new TableId("shop", "items"), null);
    private static final TargetTable ORDERS = TargetTable.of(null, new TableId("shop", "orders"), null);

    @Test
    void everyConnectAndReconnectSetsAbortDetachedQueryBeforeAnythingElse() throws Exception {
        RecordingConnection first = new RecordingConnection();
        RecordingConnection second = new RecordingConnection();
        Deque<RecordingConnection> sessions = new ArrayDeque<>(List.of(first, second));
        SnowflakeDestination destination = new SnowflakeDestination(
                SETTINGS,
                STAGE,
                null,
                DeleteMode.HARD,
                SnowflakeNames.UPPER,
                (url, properties) -> sessions.pop().connection());

        destination.createTables(List.of());
        List<String> prepared = List.of(
                "ALTER SESSION SET ABORT_DETACHED_QUERY = TRUE",
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = ? AND catalog_name = current_database()"
                        + " [ELT_CDC]",
                "CREATE SCHEMA IF NOT EXISTS \"ELT_CDC\"",
                SnowflakeLedger.createTable(),
                STAGE.createStatement());
        assertThat(first.statements).containsExactlyElementsOf(prepared);

        destination.createTables(List.of()); // the session lives: nothing again
        assertThat(first.statements).hasSize(prepared.size());

        first.breakIt(); // e.g. the session expired, or the network dropped it
        destination.createTables(List.of());
        assertThat(first.closed()).isTrue();
        assertThat(second.statements).containsExactlyElementsOf(prepared);
        destination.close();
    }

    /** SHOW TRANSACTIONS of the user: a stale load of ITEMS, ORDERS' load running elsewhere, ITEMS' own. */
    private static Function<String, List<Map<String, Object>>> account(long session) {
        String items = SnowflakeLoadTransaction.nameOf("shop-pipeline", ITEMS);
        String orders = SnowflakeLoadTransaction.nameOf("shop-pipeline", ORDERS);
        return sql -> switch (sql) {
            case "SELECT CURRENT_SESSION()" -> List.of(row("CURRENT_SESSION()", String.valueOf(session)));
            case "SHOW TRANSACTIONS" ->
                List.of(
                        row("id", 1442254688149L, "user", "ELT", "session", 900L, "name", items, "state", "running"),
                        row("id", 1442254688150L, "user", "ELT", "session", 901L, "name", orders, "state", "running"),
                        row(
                                "id",
                                1442254688151L,
                                "user",
                                "ELT",
                                "session",
                                1000L,
                                "name",
                                "other",
                                "state",
                                "running"));
            default -> List.of(row("result", "Aborted transaction id"));
        };
    }

    @Test
    void theFirstLoadOfATableInASessionAbortsItsTransactionThatALostSessionLeftOpen() throws Exception {
        StaleTransactions stale = new StaleTransactions();
        RecordingConnection session = new RecordingConnection(account(1000));
        Connection c = session.connection();
        String items = SnowflakeLoadTransaction.nameOf("shop-pipeline", ITEMS);

        SnowflakeLoadTransaction load = new SnowflakeLoadTransaction(stale, "shop-pipeline", ITEMS);
        load.begin(c);
        load.commit(c);
        assertThat(session.statements)
                .containsExactly(
                        "SELECT CURRENT_SESSION()",
                        "SHOW TRANSACTIONS",
                        // the stale load of the same table only: ORDERS' load in session 901 runs on
                        "SELECT SYSTEM$ABORT_TRANSACTION(1442254688149)",
                        "BEGIN NAME " + items,
                        "COMMIT");

        session.statements.clear();
        new SnowflakeLoadTransaction(stale, "shop-pipeline", ITEMS).begin(c);
        assertThat(session.statements).containsExactly("BEGIN NAME " + items); // checked once per session

        RecordingConnection reconnected = new RecordingConnection(account(1001));
        new SnowflakeLoadTransaction(stale, "shop-pipeline", ITEMS).begin(reconnected.connection());
        assertThat(reconnected.statements)
                .containsExactly(
                        "SELECT CURRENT_SESSION()",
                        "SHOW TRANSACTIONS",
                        "SELECT SYSTEM$ABORT_TRANSACTION(1442254688149)",
                        "BEGIN NAME " + items);
    }

    @Test
    void aTransactionOfTheLoadsOwnSessionIsLeftAlone() throws Exception {
        RecordingConnection session = new RecordingConnection(account(900)); // the ITEMS transaction is this session's
        new SnowflakeLoadTransaction(new StaleTransactions(), "shop-pipeline", ITEMS).begin(session.connection());
        assertThat(session.statements).noneMatch(s -> s.contains("ABORT"));
    }

    @Test
    void aFailureToLookForStaleTransactionsDoesNotFailTheLoad() throws Exception {
        RecordingConnection session = new RecordingConnection(sql -> {
            if (sql.equals("SHOW TRANSACTIONS")) {
                throw new IllegalStateException(new SQLException("Insufficient privileges"));
            }
            return List.of(row("CURRENT_SESSION()", "5"));
        });
        SnowflakeLoadTransaction load = new SnowflakeLoadTransaction(new StaleTransactions(), "p", ITEMS);
        load.begin(session.connection());
        assertThat(session.statements)
                .containsExactly("SELECT CURRENT_SESSION()", "SHOW TRANSACTIONS", "BEGIN NAME " + load.name());
    }

    @Test
    void transactionNamesAreIdentifiersOfPipelineAndTable() {
        String name = SnowflakeLoadTransaction.nameOf("shop-pipeline", ITEMS);
        assertThat(name).matches("ELT_CDC_LOAD_[0-9A-F]{16}");
        assertThat(SnowflakeLoadTransaction.nameOf("shop-pipeline", ITEMS)).isEqualTo(name);
        assertThat(SnowflakeLoadTransaction.nameOf("shop-pipeline", ORDERS)).isNotEqualTo(name);
        assertThat(SnowflakeLoadTransaction.nameOf("other-pipeline", ITEMS)).isNotEqualTo(name);
    }
}
