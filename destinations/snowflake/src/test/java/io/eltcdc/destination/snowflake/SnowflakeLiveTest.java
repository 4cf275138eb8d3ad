package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.snowflake.client.jdbc.SnowflakeDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only Snowflake does, against a real account (skipped without one, like
 * {@link SnowflakeDestinationContractTest}): Snowflake's upper-case names, exact positions and wide
 * decimals through the load files, and the abort of a load transaction a lost session left open.
 */
@ExtendWith(SnowflakeCredentialsCondition.class)
class SnowflakeLiveTest {
    private static final String PIPELINE = "live";
    /** Schemas the tests write to, as Snowflake names them: dropped before each test. */
    private static final List<String> SCHEMAS =
            List.of("LIVE_NAMES", "live_names", "LIVE_EXACT", "LIVE_TX", SnowflakeLedger.SCHEMA);
    /** 2^53: a double holds it, but not 2^53 + 1, which it rounds to 2^53. */
    private static final long TWO_53 = 1L << 53;

    private static LiveSnowflake live;
    private static S3Uploads uploads;
    private static SnowflakeStage stage;

    @TempDir
    Path files;

    @BeforeAll
    static void requireCredentials() {
        live = LiveSnowflake.fromEnvironment();
        String missing = live.missing();
        assumeTrue(missing == null, () -> "Snowflake live test skipped: set " + missing);
        String folder = live.stagingFolder("elt-cdc-live-" + UUID.randomUUID());
        uploads = new S3Uploads(folder, live.awsAccessKey(), live.awsSecretKey());
        stage = live.stage(folder);
    }

    @BeforeEach
    void dropSchemas() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String schema : SCHEMAS) {
                s.execute("DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schema) + " CASCADE");
            }
        }
    }

    private static SnowflakeDestination destination(SnowflakeNames names) {
        return new SnowflakeDestination(live.connection(), stage, null, DeleteMode.HARD, names);
    }

    private static Connection connect() throws SQLException {
        return new SnowflakeDriver()
                .connect(live.connection().jdbcUrl(), live.connection().properties());
    }

    private LoadResult load(SnowflakeDestination destination, TableSchema schema, String batchId, Row... rows)
            throws Exception {
        StagedFile file = StagedFiles.write(files, schema, List.of(rows));
        return destination.load(uploads.upload(new LoadBatch(PIPELINE, schema.id(), batchId, List.of(file))));
    }

    private static List<List<Object>> query(Connection c, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void namesFollowSnowflakesUpperCaseAndUnquotedSqlFindsThem() throws Exception {
        TableId items = new TableId("live_names", "items");
        TableSchema v1 = new TableSchema(
                items,
                List.of(
                        new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                        Column.of("name", ColumnType.STRING),
                        Column.of("Mixed Case", ColumnType.STRING)),
                List.of("id"));
        // v2: name renamed to title, qty added
        TableSchema v2 = new TableSchema(
                items,
                List.of(
                        new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                        Column.of("title", ColumnType.STRING),
                        Column.of("Mixed Case", ColumnType.STRING),
                        Column.of("qty", ColumnType.INT64)),
                List.of("id"),
                Map.of("title", "name"));
        try (SnowflakeDestination destination = destination(SnowflakeNames.UPPER)) {
            destination.createTables(List.of(v1));
            load(destination, v1, "b1", Row.of(Op.INSERT, 1, 1, "one", "m"));
            load(destination, v2, "b2", Row.of(Op.UPDATE, 2, 1, "uno", "m2", 7L));
        }
        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'LIVE_NAMES'"
                                    + " AND table_name = 'ITEMS' ORDER BY ordinal_position"))
                    .extracting(r -> r.get(0))
                    .containsExactly("ID", "TITLE", "Mixed Case", "_ELT_OP", "_ELT_POSITION", "_ELT_SYNCED_AT", "QTY");
            assertThat(query(c, "SELECT id, title, \"Mixed Case\", qty, _elt_op FROM live_names.items"))
                    .containsExactly(Arrays.asList(1L, "uno", "m2", 7L, "UPDATE"));
            assertThat(query(c, "SELECT table_name FROM elt_cdc.loads WHERE pipeline = 'live' ORDER BY batch_id"))
                    .containsExactly(List.of("LIVE_NAMES.ITEMS"), List.of("LIVE_NAMES.ITEMS"));
        }
    }

    @Test
    void tablesAnEarlierVersionMadeInTheSourcesCaseAreKeptOrRefusedNeverLeftBehind() throws Exception {
        TableSchema legacy = new TableSchema(
                new TableId("live_names", "legacy"),
                List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4")),
                List.of("id"));
        try (SnowflakeDestination before = destination(SnowflakeNames.SOURCE)) {
            before.createTables(List.of(legacy));
            load(before, legacy, "b1", Row.of(Op.INSERT, 1, 1));
        }
        try (SnowflakeDestination after = destination(SnowflakeNames.UPPER)) {
            assertThatThrownBy(() -> after.createTables(List.of(legacy)))
                    .hasMessageContaining("\"live_names\".\"legacy\" exists, named in the source's case")
                    .hasMessageContaining("identifier-case: source");
        }
        try (SnowflakeDestination kept = destination(SnowflakeNames.SOURCE)) {
            kept.createTables(List.of(legacy));
            load(kept, legacy, "b2", Row.of(Op.INSERT, 2, 2));
        }
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT COUNT(*) FROM \"live_names\".\"legacy\""))
                    .containsExactly(List.of(2L));
        }
    }

    @Test
    void positionsAboveTwoToThe53AndWideDecimalsArriveExactly() throws Exception {
        TableSchema accounts = new TableSchema(
                new TableId("live_exact", "accounts"),
                List.of(
                        new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                        Column.decimal("balance", 38, 10),
                        Column.of("counter", ColumnType.INT64)),
                List.of("id"));
        BigDecimal first = new BigDecimal("1234567890123456789012345678.0123456789");
        BigDecimal second = new BigDecimal("-1234567890123456789012345678.0123456788");
        try (SnowflakeDestination destination = destination(SnowflakeNames.UPPER)) {
            destination.createTables(List.of(accounts));
            load(destination, accounts, "b1", new Row(Op.INSERT, new Position(0, TWO_53), 1, first, TWO_53 + 1));
            // 2^53 + 1 is newer than 2^53; as doubles both would be 2^53, and the update would be dropped.
            load(destination, accounts, "b2", new Row(Op.UPDATE, new Position(0, TWO_53 + 1), 1, second, TWO_53 + 3));
        }
        try (Connection c = connect()) {
            List<List<Object>> rows = query(
                    c, "SELECT balance::VARCHAR, counter::VARCHAR, _elt_position::VARCHAR FROM live_exact.accounts");
            assertThat(rows)
                    .containsExactly(
                            List.of(second.toPlainString(), String.valueOf(TWO_53 + 3), String.valueOf(TWO_53 + 1)));
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // without the abort, the load waits for the lock far longer
    void aLoadTransactionALostSessionLeftOpenIsAbortedBeforeTheNextLoadOfTheTable() throws Exception {
        TableSchema items = new TableSchema(
                new TableId("live_tx", "items"),
                List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
                List.of("id"));
        TargetTable target = SnowflakeNames.UPPER.target(items.id(), null);
        try (SnowflakeDestination destination = destination(SnowflakeNames.UPPER)) {
            destination.createTables(List.of(items));
            load(destination, items, "b1", Row.of(Op.INSERT, 1, 1, "one"));
        }
        try (Connection lost = connect();
                Statement s = lost.createStatement()) {
            // What a crash between BEGIN and COMMIT leaves: the load's transaction, open, holding the table's lock.
            s.execute("BEGIN NAME " + SnowflakeLoadTransaction.nameOf(PIPELINE, target));
            s.execute("DELETE FROM " + target.sql());
            try (SnowflakeDestination retry = destination(SnowflakeNames.UPPER)) {
                assertThat(load(retry, items, "b2", Row.of(Op.UPDATE, 2, 1, "uno"))
                                .rowsMerged())
                        .isEqualTo(1);
            }
        }
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT id, name FROM live_tx.items")).containsExactly(List.of(1L, "uno"));
        }
    }
}
