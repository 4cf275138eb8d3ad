package io.eltcdc.destination.snowflake;

import static io.eltcdc.destination.snowflake.RecordingConnection.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.model.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batch that completes a table's snapshot, loaded over a recording connection: in hard-delete
 * mode its transaction deletes the tombstones before the ledger row; where the target has no
 * {@code _ELT_DELETED} (no tombstone was ever kept) nothing is deleted.
 */
class SnowflakeTombstonesTest {
    private static final SnowflakeStage STAGE = SnowflakeStage.withIntegration("s3://bucket/staging", "ELT_S3");
    private static final SnowflakeConnectionSettings SETTINGS =
            SnowflakeConnectionSettings.withPassword("acct", "ELT", "pw", null, "WH", "DB");
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TargetTable TARGET = SnowflakeNames.UPPER.target(ITEMS, null);
    private static final LoadBatch COMPLETING =
            new LoadBatch("shop-pipeline", ITEMS, "b9", List.of()).withTombstones(true, true);
    private static final String PURGE = "DELETE FROM \"SHOP\".\"ITEMS\" WHERE \"_ELT_DELETED\" = TRUE";

    /** The statements of loading {@link #COMPLETING} into a target of {@code columns}, from BEGIN on. */
    private static List<String> load(DeleteMode mode, String... columns) throws Exception {
        List<Map<String, Object>> catalog = new ArrayList<>();
        for (String column : columns) {
            catalog.add(row("column_name", column, "data_type", "TEXT", "p", null, "s", null, "l", null));
        }
        RecordingConnection session = new RecordingConnection(sql -> {
            if (sql.startsWith(SnowflakeDdlSql.columnsQuery())) {
                return catalog;
            }
            if (sql.equals("SELECT CURRENT_SESSION()")) {
                return List.of(row("CURRENT_SESSION()", "1000"));
            }
            return List.of();
        });
        try (SnowflakeDestination destination = new SnowflakeDestination(
                SETTINGS, STAGE, null, mode, SnowflakeNames.UPPER, (url, properties) -> session.connection())) {
            destination.load(COMPLETING);
        }
        List<String> statements = session.statements;
        int begin = statements.indexOf("BEGIN NAME " + SnowflakeLoadTransaction.nameOf("shop-pipeline", TARGET));
        assertThat(begin).isNotNegative();
        return statements.subList(begin + 1, statements.size());
    }

    @Test
    void theCompletingBatchDeletesTheTombstonesBeforeTheLedgerRow() throws Exception {
        List<String> transaction =
                load(DeleteMode.HARD, "ID", "NAME", "_ELT_OP", "_ELT_POSITION", "_ELT_SYNCED_AT", "_ELT_DELETED");

        assertThat(transaction).hasSize(4);
        assertThat(transaction.get(0)).startsWith("SELECT 1 FROM "); // the ledger, asked again
        assertThat(transaction.get(1)).isEqualTo(PURGE);
        assertThat(transaction.get(2)).startsWith("INSERT INTO ").contains("b9");
        assertThat(transaction.get(3)).isEqualTo("COMMIT");
    }

    @Test
    void nothingIsPurgedWithoutTheColumnOrInSoftDeleteMode() throws Exception {
        assertThat(load(DeleteMode.HARD, "ID", "NAME", "_ELT_OP", "_ELT_POSITION", "_ELT_SYNCED_AT"))
                .doesNotContain(PURGE)
                .hasSize(3);
        assertThat(load(DeleteMode.SOFT, "ID", "NAME", "_ELT_OP", "_ELT_POSITION", "_ELT_SYNCED_AT", "_ELT_DELETED"))
                .doesNotContain(PURGE)
                .hasSize(3);
    }
}
