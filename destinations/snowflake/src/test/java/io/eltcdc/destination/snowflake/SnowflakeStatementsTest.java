package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The statements the Snowflake destination runs for a batch, checked as text: no service needed.
 * Names here are kept in the source's case ({@code identifier-case: source}); {@link SnowflakeNamesTest}
 * checks Snowflake's upper-case names.
 */
class SnowflakeStatementsTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableSchema ITEMS_V1 = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));
    private static final TargetTable TARGET = TargetTable.of(null, ITEMS, null);
    private static final SnowflakeDdlSql DDL = new SnowflakeDdlSql(SnowflakeNames.SOURCE);

    private static final SnowflakeStage STAGE = SnowflakeStage.withIntegration("s3://bucket/staging", "ELT_S3");
    private static final String STAGE_NAME = STAGE.name();
    private static final List<String> TARGET_COLUMNS =
            List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at");

    /** The plan of a batch whose files agree on every column's type: one part. */
    private static List<SnowflakeBatchPart> onePart(
            TableId table,
            TargetTable target,
            DeleteMode mode,
            SnowflakeNames names,
            List<SnowflakeBatchPlan.FileOfVersion> files) {
        return SnowflakeBatchPlan.of(table, target, mode, names, files);
    }

    private static SnowflakeBatchPart itemsPart(DeleteMode mode) {
        List<SnowflakeBatchPart> parts = onePart(
                ITEMS,
                TARGET,
                mode,
                SnowflakeNames.SOURCE,
                List.of(new SnowflakeBatchPlan.FileOfVersion(ITEMS_V1, "shop.items/v1/part-1.avro", null)));
        assertThat(parts).hasSize(1);
        return parts.get(0);
    }

    @Test
    void stagingABatchCopiesIntoARawTableAndConvertsIntoTheStagingTable() {
        assertThat(itemsPart(DeleteMode.HARD).stagingStatements(STAGE))
                .containsExactly(
                        "CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_stage_0\" (\"id\" NUMBER(10,0), \"name\" VARCHAR,"
                                + " \"_elt_op\" VARCHAR, \"_elt_position\" NUMBER(38,0))",
                        "ALTER TABLE ELT_CDC.\"_elt_stage_0\" ADD COLUMN \"_elt_unchanged\" VARCHAR",
                        "CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_raw_0_0\" (\"id\" VARIANT, \"name\" VARIANT,"
                                + " \"_elt_op\" VARIANT, \"_elt_position\" VARIANT, \"_elt_unchanged\" VARIANT)",
                        "COPY INTO ELT_CDC.\"_elt_raw_0_0\" FROM @" + STAGE_NAME
                                + " FILES = ('shop.items/v1/part-1.avro')"
                                + " FILE_FORMAT = (TYPE = AVRO) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE"
                                + " ON_ERROR = ABORT_STATEMENT FORCE = TRUE",
                        "INSERT INTO ELT_CDC.\"_elt_stage_0\" (\"id\", \"name\", \"_elt_op\", \"_elt_position\","
                                + " \"_elt_unchanged\") SELECT r.\"id\"::NUMBER(10,0), r.\"name\"::VARCHAR,"
                                + " r.\"_elt_op\"::VARCHAR, r.\"_elt_position\"::VARCHAR::NUMBER(38,0),"
                                + " IFF(ARRAY_SIZE(r.\"_elt_unchanged\") > 0, ',' || ARRAY_TO_STRING(r.\"_elt_unchanged\"::ARRAY,"
                                + " ',') || ',', NULL) FROM ELT_CDC.\"_elt_raw_0_0\" AS r");
    }

    @Test
    void summaryCountsRecordsDeletesAndUnsentColumns() {
        assertThat(itemsPart(DeleteMode.HARD).summaryQuery())
                .isEqualTo(
                        "SELECT COUNT(*), COUNT_IF(\"_elt_op\" = 'DELETE'), COUNT_IF(POSITION(',0,' IN \"_elt_unchanged\") > 0),"
                                + " COUNT_IF(POSITION(',1,' IN \"_elt_unchanged\") > 0) FROM ELT_CDC.\"_elt_stage_0\"");
    }

    @Test
    void winnersKeepOneRecordPerKeyTheHighestPosition() {
        assertThat(itemsPart(DeleteMode.HARD).sql().createWinners())
                .isEqualTo(
                        "CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_winners_0\" AS SELECT * FROM ELT_CDC.\"_elt_stage_0\""
                                + " QUALIFY ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"_elt_position\" DESC) = 1");
    }

    @Test
    void hardDeleteMergeDeletesUpdatesAndInsertsFromTheWinners() {
        assertThat(itemsPart(DeleteMode.HARD).sql().mergeInto(TARGET_COLUMNS))
                .isEqualTo(
                        "MERGE INTO \"shop\".\"items\" AS t USING ELT_CDC.\"_elt_winners_0\" AS w ON (t.\"id\" = w.\"id\")"
                                + " WHEN MATCHED AND w.\"_elt_op\" = 'DELETE' AND (t.\"_elt_position\" IS NULL"
                                + " OR t.\"_elt_position\" < w.\"_elt_position\") THEN DELETE"
                                + " WHEN MATCHED AND w.\"_elt_op\" <> 'DELETE' AND (t.\"_elt_position\" IS NULL"
                                + " OR t.\"_elt_position\" < w.\"_elt_position\") THEN UPDATE SET \"name\" = w.\"name\","
                                + " \"_elt_op\" = w.\"_elt_op\", \"_elt_position\" = w.\"_elt_position\","
                                + " \"_elt_synced_at\" = CURRENT_TIMESTAMP"
                                + " WHEN NOT MATCHED AND w.\"_elt_op\" <> 'DELETE' THEN INSERT (\"id\", \"name\", \"_elt_op\","
                                + " \"_elt_position\", \"_elt_synced_at\") VALUES (w.\"id\", w.\"name\", w.\"_elt_op\","
                                + " w.\"_elt_position\", CURRENT_TIMESTAMP)");
    }

    @Test
    void softDeleteMergeWritesDeletesAsTombstones() {
        List<String> columns = new ArrayList<>(TARGET_COLUMNS);
        columns.add("_elt_deleted");
        assertThat(itemsPart(DeleteMode.SOFT).sql().mergeInto(columns))
                .isEqualTo(
                        "MERGE INTO \"shop\".\"items\" AS t USING ELT_CDC.\"_elt_winners_0\" AS w ON (t.\"id\" = w.\"id\")"
                                + " WHEN MATCHED AND (t.\"_elt_position\" IS NULL OR t.\"_elt_position\" < w.\"_elt_position\")"
                                + " THEN UPDATE SET \"name\" = w.\"name\", \"_elt_op\" = w.\"_elt_op\","
                                + " \"_elt_position\" = w.\"_elt_position\", \"_elt_synced_at\" = CURRENT_TIMESTAMP,"
                                + " \"_elt_deleted\" = (w.\"_elt_op\" = 'DELETE')"
                                + " WHEN NOT MATCHED THEN INSERT (\"id\", \"name\", \"_elt_op\", \"_elt_position\","
                                + " \"_elt_synced_at\", \"_elt_deleted\") VALUES (w.\"id\", w.\"name\", w.\"_elt_op\","
                                + " w.\"_elt_position\", CURRENT_TIMESTAMP, (w.\"_elt_op\" = 'DELETE'))");
    }

    /**
     * A batch of a table whose snapshot is incomplete merges, in hard-delete mode, as soft-delete mode
     * does (DELETE winners are written as tombstones); the other batches as configured; a table
     * without key keeps no tombstones. The batch completing the snapshot deletes them.
     */
    @Test
    void aBatchDuringTheSnapshotWritesTombstonesAndTheCompletingOnePurgesThem() {
        List<SnowflakeBatchPlan.FileOfVersion> files =
                List.of(new SnowflakeBatchPlan.FileOfVersion(ITEMS_V1, "shop.items/v1/part-1.avro", null));
        LoadBatch plain = new LoadBatch("p", ITEMS, "b1", List.of());
        List<String> columns = new ArrayList<>(TARGET_COLUMNS);
        columns.add("_elt_deleted");

        SnowflakeBatchPart during = SnowflakeBatchPlan.of(
                        plain.withTombstones(true, false), TARGET, DeleteMode.HARD, SnowflakeNames.SOURCE, files)
                .get(0);
        assertThat(during.sql().deleteMode()).isEqualTo(DeleteMode.SOFT);
        assertThat(during.withDeletedColumn(true).sql().mergeInto(columns))
                .isEqualTo(
                        itemsPart(DeleteMode.SOFT).withDeletedColumn(true).sql().mergeInto(columns))
                .doesNotContain("THEN DELETE");
        assertThat(SnowflakeBatchPlan.of(plain, TARGET, DeleteMode.HARD, SnowflakeNames.SOURCE, files)
                        .get(0)
                        .sql()
                        .deleteMode())
                .isEqualTo(DeleteMode.HARD);

        TableSchema events = new TableSchema(
                new TableId("logs", "events"), List.of(Column.of("message", ColumnType.STRING)), List.of());
        assertThat(SnowflakeBatchPlan.of(
                                new LoadBatch("p", events.id(), "b1", List.of()).withTombstones(true, true),
                                TargetTable.of(null, events.id(), null),
                                DeleteMode.HARD,
                                SnowflakeNames.SOURCE,
                                List.of(new SnowflakeBatchPlan.FileOfVersion(events, "f.avro", null)))
                        .get(0)
                        .sql()
                        .deleteMode())
                .isEqualTo(DeleteMode.HARD);

        assertThat(SnowflakeLoader.purgeTombstones(SnowflakeNames.SOURCE, TARGET))
                .isEqualTo("DELETE FROM \"shop\".\"items\" WHERE \"_elt_deleted\" = TRUE");
        assertThat(SnowflakeLoader.purgeTombstones(SnowflakeNames.UPPER, SnowflakeNames.UPPER.target(ITEMS, null)))
                .isEqualTo("DELETE FROM \"SHOP\".\"ITEMS\" WHERE \"_ELT_DELETED\" = TRUE");
    }

    @Test
    void unsentColumnsAreFilledWithSnowflakesAggregates() {
        String resolve = itemsPart(DeleteMode.HARD)
                .sql()
                .resolveMissingValues(new StagedRows(3, false, true, false, null, List.of(1)));
        assertThat(resolve)
                .startsWith("UPDATE ELT_CDC.\"_elt_winners_0\" AS w SET \"name\" = CASE WHEN"
                        + " (position(',1,' IN w.\"_elt_unchanged\") > 0) THEN CASE WHEN r.\"_elt_has_1\""
                        + " THEN r.\"_elt_v_1\" ELSE r.\"_elt_t_1\" END ELSE w.\"name\" END FROM (")
                .contains("BOOLOR_AGG((s.\"_elt_unchanged\" IS NULL OR position(',1,' IN s.\"_elt_unchanged\") = 0))"
                        + " AS \"_elt_has_1\"")
                .contains("MAX_BY(s.\"name\", IFF((s.\"_elt_unchanged\" IS NULL OR position(',1,' IN"
                        + " s.\"_elt_unchanged\") = 0), s.\"_elt_position\", NULL)) AS \"_elt_v_1\"")
                .doesNotContain("bool_or", "array_agg", "FILTER")
                .endsWith(") AS r WHERE w.\"id\" = r.\"id\"");
    }

    @Test
    void tableWithoutKeyIsAppendedTo() {
        TableSchema events = new TableSchema(
                new TableId("logs", "events"), List.of(Column.of("message", ColumnType.STRING)), List.of());
        SnowflakeBatchPart part = onePart(
                        events.id(),
                        TargetTable.of(null, events.id(), null),
                        DeleteMode.SOFT,
                        SnowflakeNames.SOURCE,
                        List.of(new SnowflakeBatchPlan.FileOfVersion(events, "f.avro", null)))
                .get(0);
        assertThat(part.sql().append())
                .isEqualTo(
                        "INSERT INTO \"logs\".\"events\" (\"message\", \"_elt_op\","
                                + " \"_elt_position\", \"_elt_synced_at\", \"_elt_deleted\") SELECT s.\"message\", s.\"_elt_op\","
                                + " s.\"_elt_position\", CURRENT_TIMESTAMP, (s.\"_elt_op\" = 'DELETE') FROM ELT_CDC.\"_elt_stage_0\" AS s");
    }

    @Test
    void temporaryTablesAreDroppedAfterTheLoad() {
        assertThat(itemsPart(DeleteMode.HARD).dropStatements())
                .containsExactly(
                        "DROP TABLE IF EXISTS ELT_CDC.\"_elt_raw_0_0\"",
                        "DROP TABLE IF EXISTS ELT_CDC.\"_elt_stage_0\"",
                        "DROP TABLE IF EXISTS ELT_CDC.\"_elt_winners_0\"");
    }

    @Test
    void ledgerStatements() {
        assertThat(SnowflakeLedger.createTable())
                .isEqualTo("CREATE TABLE IF NOT EXISTS ELT_CDC.LOADS ("
                        + "PIPELINE VARCHAR NOT NULL, TABLE_NAME VARCHAR NOT NULL, BATCH_ID VARCHAR NOT NULL,"
                        + " FILES NUMBER(10,0) NOT NULL, ROWS_STAGED NUMBER(19,0) NOT NULL, LOADED_AT TIMESTAMP_TZ NOT NULL,"
                        + " PRIMARY KEY (PIPELINE, TABLE_NAME, BATCH_ID))");
        assertThat(SnowflakeLedger.containsQuery())
                .isEqualTo("SELECT 1 FROM ELT_CDC.LOADS WHERE PIPELINE = ? AND TABLE_NAME = ? AND BATCH_ID = ?");
        assertThat(SnowflakeLedger.insertStatement())
                .isEqualTo("INSERT INTO ELT_CDC.LOADS (PIPELINE, TABLE_NAME,"
                        + " BATCH_ID, FILES, ROWS_STAGED, LOADED_AT) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP)");
    }

    // ---- the external stage

    @Test
    void stageWithAStorageIntegration() {
        assertThat(STAGE_NAME).matches("ELT_CDC\\.STAGE_[0-9A-F]{12}");
        assertThat(STAGE.createStatement())
                .isEqualTo("CREATE STAGE IF NOT EXISTS " + STAGE_NAME
                        + " URL = 's3://bucket/staging/' STORAGE_INTEGRATION = ELT_S3 FILE_FORMAT = (TYPE = AVRO)");
        assertThat(SnowflakeStage.withIntegration("s3://b/p", "my integration").createStatement())
                .contains("STORAGE_INTEGRATION = \"my integration\"");
    }

    @Test
    void stageWithAnAwsKeyKeepsTheSecretOutOfMessages() {
        SnowflakeStage stage = SnowflakeStage.withAwsKey("s3a://bucket/staging/", "AKIA1", "sec'ret");
        assertThat(stage.createStatement())
                .isEqualTo("CREATE STAGE IF NOT EXISTS " + stage.name()
                        + " URL = 's3://bucket/staging/' CREDENTIALS = (AWS_KEY_ID = 'AKIA1' AWS_SECRET_KEY = 'sec''ret')"
                        + " FILE_FORMAT = (TYPE = AVRO)");
        assertThat(stage.createStatementRedacted())
                .contains("AWS_SECRET_KEY = '******'")
                .doesNotContain("sec");
        assertThat(stage.toString()).doesNotContain("sec'ret").contains("AKIA1");
    }

    @Test
    void stageNameChangesWithFolderAndCredentials() {
        assertThat(SnowflakeStage.withIntegration("s3://bucket/staging/", "ELT_S3")
                        .name())
                .isEqualTo(STAGE_NAME);
        assertThat(SnowflakeStage.withIntegration("s3://bucket/other", "ELT_S3").name())
                .isNotEqualTo(STAGE_NAME);
        assertThat(SnowflakeStage.withIntegration("s3://bucket/staging", "OTHER")
                        .name())
                .isNotEqualTo(STAGE_NAME);
        assertThat(SnowflakeStage.withAwsKey("s3://bucket/staging", "AKIA1", "x")
                        .name())
                .isNotEqualTo(STAGE_NAME);
    }

    @Test
    void theStageReadsAnS3Folder() {
        assertThat(STAGE.url()).isEqualTo("s3://bucket/staging/");
        assertThat(SnowflakeStage.withIntegration("s3a://bucket/staging/", "I").url())
                .isEqualTo("s3://bucket/staging/");
        assertThatThrownBy(() -> SnowflakeStage.withIntegration("file:///tmp/x", "I"))
                .hasMessageContaining("needs an s3://bucket/prefix folder");
    }

    // ---- COPY statements

    @Test
    void fileListsAreSplitIntoCopyStatementsOfAtMostOneThousandNames() {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 2501; i++) {
            files.add("shop.items/v1/part-" + i + ".avro");
        }
        List<String> statements = SnowflakeCopy.statements("ELT_CDC.\"_elt_raw_0_0\"", STAGE_NAME, files);

        assertThat(statements).hasSize(3);
        List<String> listed = new ArrayList<>();
        Pattern name = Pattern.compile("'(shop\\.items/v1/part-\\d+\\.avro)'");
        for (String statement : statements) {
            assertThat(statement)
                    .startsWith("COPY INTO ELT_CDC.\"_elt_raw_0_0\" FROM @" + STAGE_NAME + " FILES = (")
                    .endsWith(") FILE_FORMAT = (TYPE = AVRO) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE"
                            + " ON_ERROR = ABORT_STATEMENT FORCE = TRUE");
            Matcher m = name.matcher(statement);
            List<String> inStatement = new ArrayList<>();
            while (m.find()) {
                inStatement.add(m.group(1));
            }
            assertThat(inStatement.size()).isLessThanOrEqualTo(SnowflakeCopy.MAX_FILES);
            listed.addAll(inStatement);
        }
        assertThat(listed).containsExactlyElementsOf(files); // each file once, in order
        assertThat(SnowflakeCopy.statements("t", STAGE_NAME, files.subList(0, 1000)))
                .hasSize(1);
        assertThat(SnowflakeCopy.statements("t", STAGE_NAME, List.of())).isEmpty();
        assertThat(SnowflakeCopy.statements("t", "s", List.of("it's.avro")).get(0))
                .contains("FILES = ('it''s.avro')");
    }

    // ---- identifiers

    @Test
    void quotedReservedAndMixedCaseNamesAreQuotedAndCopyMatchesTheAvroFieldNames() {
        TableSchema odd = new TableSchema(
                new TableId("Odd Schema", "Order Items"),
                List.of(
                        Column.of("select", ColumnType.INT32),
                        Column.of("Mixed Case \"quoted\"", ColumnType.STRING),
                        Column.of("from", ColumnType.STRING)),
                List.of("select"));
        TargetTable target = TargetTable.of(null, odd.id(), null);
        SnowflakeBatchPart part = onePart(
                        odd.id(),
                        target,
                        DeleteMode.HARD,
                        SnowflakeNames.SOURCE,
                        List.of(new SnowflakeBatchPlan.FileOfVersion(odd, "f.avro", null)))
                .get(0);

        assertThat(DDL.createTable(target, part.batch(), DeleteMode.HARD))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"Odd Schema\".\"Order Items\" (\"select\" NUMBER(10,0),"
                        + " \"Mixed Case \"\"quoted\"\"\" VARCHAR, \"from\" VARCHAR, \"_elt_op\" VARCHAR,"
                        + " \"_elt_position\" NUMBER(38,0), \"_elt_synced_at\" TIMESTAMP_TZ(6))");
        List<String> staging = part.stagingStatements(STAGE);
        // The raw table has the Avro field names, which COPY matches case-sensitively ...
        assertThat(staging.get(2))
                .isEqualTo("CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_raw_0_0\" (\"select\""
                        + " VARIANT, \"Mixed_Case__quoted_\" VARIANT, \"from\" VARIANT, \"_elt_op\" VARIANT, \"_elt_position\""
                        + " VARIANT, \"_elt_unchanged\" VARIANT)");
        // ... and the move into the staging table gives the values their column names back.
        assertThat(staging.get(4))
                .startsWith(
                        "INSERT INTO ELT_CDC.\"_elt_stage_0\" (\"select\","
                                + " \"Mixed Case \"\"quoted\"\"\", \"from\", \"_elt_op\", \"_elt_position\", \"_elt_unchanged\")"
                                + " SELECT r.\"select\"::NUMBER(10,0), r.\"Mixed_Case__quoted_\"::VARCHAR, r.\"from\"::VARCHAR,");
        assertThat(part.sql().mergeInto(List.of()))
                .startsWith("MERGE INTO \"Odd Schema\".\"Order Items\" AS t USING"
                        + " ELT_CDC.\"_elt_winners_0\" AS w ON (t.\"select\" = w.\"select\")");
    }

    // ---- schema versions

    @Test
    void filesOfSeveralVersionsGetARawTableEachAndUnsentColumnIndexesAreTranslated() {
        TableSchema v1 = new TableSchema(
                ITEMS,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("gone", ColumnType.STRING),
                        Column.of("name", ColumnType.STRING)),
                List.of("id"));
        TableSchema v2 = new TableSchema(
                ITEMS, List.of(Column.of("id", ColumnType.INT32), Column.of("name", ColumnType.STRING)), List.of("id"));
        SnowflakeBatchPart part = onePart(
                        ITEMS,
                        TARGET,
                        DeleteMode.HARD,
                        SnowflakeNames.SOURCE,
                        List.of(
                                new SnowflakeBatchPlan.FileOfVersion(v1, "a.avro", null),
                                new SnowflakeBatchPlan.FileOfVersion(v2, "b.avro", null),
                                new SnowflakeBatchPlan.FileOfVersion(v1, "c.avro", null)))
                .get(0);

        assertThat(part.batch().columnNames()).containsExactly("id", "gone", "name");
        List<String> staging = part.stagingStatements(STAGE);
        assertThat(staging)
                .filteredOn(s -> s.startsWith("COPY"))
                .containsExactly(
                        SnowflakeCopy.statements("ELT_CDC.\"_elt_raw_0_0\"", STAGE_NAME, List.of("a.avro", "c.avro"))
                                .get(0),
                        SnowflakeCopy.statements("ELT_CDC.\"_elt_raw_1_0\"", STAGE_NAME, List.of("b.avro"))
                                .get(0));
        String second = staging.get(staging.size() - 1);
        // v2 lacks "gone" (NULL), and its file column 1 ("name") is batch column 2.
        assertThat(second)
                .contains("SELECT r.\"id\"::NUMBER(10,0), NULL, r.\"name\"::VARCHAR,")
                .contains("TRANSFORM(r.\"_elt_unchanged\"::ARRAY, i INT -> DECODE(i, 0, 0, 1, 2))");
    }

    @Test
    void filesWrittenBeforeARenameAreReadByTheirFieldNamesIntoTheRenamedColumn() {
        TableId paints = new TableId("shop", "paints");
        TableSchema before = new TableSchema(
                paints,
                List.of(Column.of("id", ColumnType.INT32), Column.of("color", ColumnType.STRING)),
                List.of("id"));
        TableSchema seenAs = new TableSchema(
                paints,
                List.of(Column.of("id", ColumnType.INT32), Column.of("Colour Name", ColumnType.STRING)),
                List.of("id"),
                java.util.Map.of("Colour Name", "color"));
        SnowflakeBatchPart part = onePart(
                        paints,
                        TargetTable.of(null, paints, null),
                        DeleteMode.HARD,
                        SnowflakeNames.SOURCE,
                        List.of(new SnowflakeBatchPlan.FileOfVersion(seenAs, before, "old.avro", null)))
                .get(0);

        List<String> staging = part.stagingStatements(STAGE);
        assertThat(staging.get(2)).contains("(\"id\" VARIANT, \"color\" VARIANT,");
        assertThat(staging.get(4))
                .startsWith("INSERT INTO ELT_CDC.\"_elt_stage_0\" (\"id\", \"Colour Name\",")
                .contains("SELECT r.\"id\"::NUMBER(10,0), r.\"color\"::VARCHAR,");
        assertThat(DDL.renameColumn(TargetTable.of(null, paints, null), "color", "Colour Name"))
                .isEqualTo("ALTER TABLE \"shop\".\"paints\" RENAME COLUMN \"color\" TO \"Colour Name\"");
    }

    @Test
    void aTypeChangeWithinTheBatchSplitsItIntoPartsWithTheirOwnTemporaryTablesOldestFirst() throws Exception {
        TableSchema v2 = new TableSchema(
                ITEMS, List.of(Column.of("id", ColumnType.INT64), Column.of("name", ColumnType.STRING)), List.of("id"));
        // The batch lists the newer version's file first (committables of another writer first).
        List<SnowflakeBatchPart> parts = SnowflakeBatchPlan.of(
                ITEMS,
                TARGET,
                DeleteMode.HARD,
                SnowflakeNames.SOURCE,
                List.of(
                        new SnowflakeBatchPlan.FileOfVersion(v2, "new.avro", new Position(0, 30)),
                        new SnowflakeBatchPlan.FileOfVersion(ITEMS_V1, "old.avro", new Position(0, 20))));

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).sql().stageTable()).isEqualTo("ELT_CDC.\"_elt_stage_0\"");
        assertThat(parts.get(1).sql().stageTable()).isEqualTo("ELT_CDC.\"_elt_stage_1\"");
        // The older version's part merges first: the newer part's unsent values come from its rows.
        assertThat(parts.get(0).stagingStatements(STAGE)).anyMatch(s -> s.contains("FILES = ('old.avro')"));
        assertThat(parts.get(1).stagingStatements(STAGE)).anyMatch(s -> s.contains("FILES = ('new.avro')"));
    }

    // ---- target table DDL

    @Test
    void tableDdl() {
        BatchColumns batch = BatchColumns.of(ITEMS, List.of(ITEMS_V1));
        assertThat(DDL.createTable(TARGET, batch, DeleteMode.SOFT))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS \"shop\".\"items\" (\"id\" NUMBER(10,0), \"name\" VARCHAR, \"_elt_op\" VARCHAR,"
                                + " \"_elt_position\" NUMBER(38,0), \"_elt_synced_at\" TIMESTAMP_TZ(6), \"_elt_deleted\" BOOLEAN)");
        assertThat(DDL.addColumn(TARGET, "credit", "NUMBER(10,2)"))
                .isEqualTo("ALTER TABLE \"shop\".\"items\" ADD COLUMN \"credit\" NUMBER(10,2)");
        assertThat(DDL.addDeletedColumn(TARGET))
                .isEqualTo("ALTER TABLE \"shop\".\"items\" ADD COLUMN \"_elt_deleted\" BOOLEAN DEFAULT FALSE");
        assertThat(DDL.alterInPlace(TARGET, Column.of("qty", ColumnType.INT64)))
                .isEqualTo("ALTER TABLE \"shop\".\"items\" ALTER COLUMN \"qty\" SET DATA TYPE NUMBER(19,0)");
    }

    @Test
    void wideningThatSnowflakeCannotDoInPlaceRebuildsTheColumn() {
        assertThat(DDL.rebuildColumn(TARGET, Column.decimal("price", 12, 3)))
                .containsExactly(
                        "ALTER TABLE \"shop\".\"items\" RENAME COLUMN \"price\" TO \"_elt_old_price\"",
                        "ALTER TABLE \"shop\".\"items\" ADD COLUMN \"price\" NUMBER(12,3)",
                        "UPDATE \"shop\".\"items\" SET \"price\" = \"_elt_old_price\"::NUMBER(12,3)",
                        "ALTER TABLE \"shop\".\"items\" DROP COLUMN \"_elt_old_price\"");
        assertThat(DDL.rebuildColumn(TARGET, Column.of("code", ColumnType.STRING))
                        .get(2))
                .isEqualTo("UPDATE \"shop\".\"items\" SET \"code\" = TO_VARCHAR(\"_elt_old_code\")");
        // Interrupted after the rename (the column not added yet) or after the add: the rest is done.
        assertThat(DDL.finishRebuild(TARGET, Column.decimal("price", 12, 3), false))
                .hasSize(3);
        assertThat(DDL.finishRebuild(TARGET, Column.decimal("price", 12, 3), true))
                .containsExactly(
                        "UPDATE \"shop\".\"items\" SET \"price\" = \"_elt_old_price\"::NUMBER(12,3)",
                        "ALTER TABLE \"shop\".\"items\" DROP COLUMN \"_elt_old_price\"");
    }
}
