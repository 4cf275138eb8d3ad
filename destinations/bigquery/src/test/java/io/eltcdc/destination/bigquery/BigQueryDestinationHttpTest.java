package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.retrying.RetrySettings;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.TransientFaults;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The destination driven through the real client library against {@link FakeBigQueryServer}: job
 * ids, job configurations, the transaction's SQL and parameters, adoption of the jobs of an
 * earlier try, and retries of failed HTTP calls.
 */
class BigQueryDestinationHttpTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableSchema ITEMS_SCHEMA = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));
    /** Fast retries: the fake answers at once. */
    private static final RetrySettings FAST = RetrySettings.newBuilder()
            .setMaxAttempts(4)
            .setInitialRetryDelayDuration(Duration.ofMillis(5))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofMillis(20))
            .setTotalTimeoutDuration(Duration.ofSeconds(20))
            .setInitialRpcTimeoutDuration(Duration.ofSeconds(10))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ofSeconds(10))
            .build();

    @TempDir
    Path files;

    private FakeBigQueryServer server;
    private boolean ledgerHasBatch;
    private long rowsMerged = 2;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeBigQueryServer();
        server.answerQueries(sql -> {
            if (sql.startsWith("SELECT COUNT(*)")) {
                return List.of(List.of(ledgerHasBatch ? 1 : 0));
            }
            if (sql.startsWith("DECLARE")) {
                return List.of(List.of(false, rowsMerged));
            }
            return List.of();
        });
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private BigQueryDestination destination(DeleteMode mode) {
        return new BigQueryDestination(
                new BigQueryOptionsSpec("test-project", "US", null, null, null, null, mode, server.host()),
                FAST,
                Duration.ofMillis(5));
    }

    private LoadBatch batch(String id, StagedFile... staged) {
        return new LoadBatch("shop-pipeline", ITEMS, id, List.of(staged));
    }

    private StagedFile write(Row... rows) throws Exception {
        return StagedFiles.write(files, ITEMS_SCHEMA, List.of(rows));
    }

    @Test
    void loadsABatchWithOneUploadOneLoadJobAndOneTransaction() throws Exception {
        LoadBatch batch = batch(
                "b1",
                write(Row.of(Op.INSERT, 1, 1, "one"), Row.of(Op.INSERT, 2, 2, "two")),
                write(Row.of(Op.UPDATE, 3, 1, "uno")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "b1");

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch)).isEqualTo(new LoadResult(3, 2, false));
        }

        // The target's dataset and table were created, the ledger too.
        assertThat(server.hasTable("shop", "items")).isTrue();
        assertThat(server.hasTable("elt_cdc", "loads")).isTrue();
        // One upload: both files in one Avro container.
        assertThat(server.uploadedFiles()).hasSize(1);
        assertThat(FakeBigQueryServer.countRows(server.uploadedFiles().get(0))).isEqualTo(3);
        Map<String, JsonNode> submitted = server.submittedJobs();
        JsonNode load = submitted.get(ids.loadJob(0, 0)).path("load");
        assertThat(load.path("sourceFormat").asText()).isEqualTo("AVRO");
        assertThat(load.path("useAvroLogicalTypes").asBoolean()).isTrue();
        assertThat(load.path("writeDisposition").asText()).isEqualTo("WRITE_TRUNCATE");
        assertThat(load.path("createDisposition").asText()).isEqualTo("CREATE_IF_NEEDED");
        assertThat(load.path("decimalTargetTypes").toString()).isEqualTo("[\"NUMERIC\",\"BIGNUMERIC\",\"STRING\"]");
        assertThat(load.path("destinationTable").path("projectId").asText()).isEqualTo("test-project");
        assertThat(load.path("destinationTable").path("datasetId").asText()).isEqualTo("elt_cdc_staging");
        assertThat(load.path("destinationTable").path("tableId").asText()).isEqualTo(ids.stagingTable(0));
        // The transaction: its id, its SQL, its parameters.
        JsonNode query = submitted.get(ids.mergeJob(0)).path("query");
        assertThat(query.path("useLegacySql").asBoolean()).isFalse();
        assertThat(query.path("query").asText())
                .startsWith("DECLARE already_loaded BOOL DEFAULT FALSE;")
                .contains(
                        "BEGIN TRANSACTION;",
                        "MERGE INTO `test-project`.`shop`.`items` AS t",
                        "USING (SELECT * FROM `test-project`.`elt_cdc_staging`.`" + ids.stagingTable(0) + "` AS s",
                        "INSERT INTO `test-project`.`elt_cdc`.`loads`",
                        "COMMIT TRANSACTION;");
        assertThat(parameters(query))
                .containsEntry("pipeline", "shop-pipeline")
                .containsEntry("table_name", "shop.items")
                .containsEntry("batch_id", "b1")
                .containsEntry("files", "2")
                .containsEntry("rows_staged", "3");
        // The staging table is dropped once merged.
        assertThat(server.hasTable("elt_cdc_staging", ids.stagingTable(0))).isFalse();
        assertThat(server.requests("DELETE", "/tables/" + ids.stagingTable(0))).hasSize(1);
    }

    @Test
    void jobIdsAreDeterministicPerPipelineTableAndBatch() {
        BatchIds ids = new BatchIds("p", "shop", "items", "b1");
        assertThat(new BatchIds("p", "shop", "items", "b1").loadJob(0, 0)).isEqualTo(ids.loadJob(0, 0));
        assertThat(ids.loadJob(0, 0)).matches("eltcdc_load_[0-9a-f]{32}_p0_a0");
        assertThat(ids.mergeJob(1)).matches("eltcdc_merge_[0-9a-f]{32}_a1");
        assertThat(new BatchIds("p", "shop", "items", "b2").loadJob(0, 0)).isNotEqualTo(ids.loadJob(0, 0));
        assertThat(new BatchIds("q", "shop", "items", "b1").loadJob(0, 0)).isNotEqualTo(ids.loadJob(0, 0));
        assertThat(new BatchIds("p", "shop", "item", "sb1").loadJob(0, 0)).isNotEqualTo(ids.loadJob(0, 0));
        assertThat(ids.stagingTable(0)).isNotEqualTo(ids.stagingTable(1));
    }

    @Test
    void aRetriedBatchUsesTheJobsOfTheEarlierTryInsteadOfLoadingAgain() throws Exception {
        LoadBatch batch = batch("b1", write(Row.of(Op.INSERT, 1, 1, "one")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "b1");
        // An earlier try uploaded and loaded the staging table, then died before its merge finished.
        server.addTable(
                "shop",
                "items",
                "id INTEGER",
                "name STRING",
                "_elt_op STRING",
                "_elt_position BIGNUMERIC",
                "_elt_synced_at TIMESTAMP");
        server.addTable("elt_cdc_staging", ids.stagingTable(0));
        server.addJob(ids.loadJob(0, 0), loadConfiguration(ids.stagingTable(0)), null, 1);

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch)).isEqualTo(new LoadResult(1, 2, false));
        }
        assertThat(server.uploadedFiles()).isEmpty(); // nothing uploaded again
        assertThat(server.submittedJobs()).doesNotContainKey(ids.loadJob(0, 0)).containsKey(ids.mergeJob(0));
    }

    @Test
    void aJobIdThatExistsAlreadyIsAdoptedNotSubmittedTwice() throws Exception {
        LoadBatch batch = batch("b1", write(Row.of(Op.INSERT, 1, 1, "one")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "b1");
        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            destination.load(batch);
        }
        int jobsBefore = server.submittedJobs().size();
        // The batch comes again (its ledger row not visible to the check, as when a concurrent try is
        // between its merge and its commit), and its merge job is not found at first: submitting it
        // meets HTTP 409, and the existing job is used.
        server.addTable("elt_cdc_staging", ids.stagingTable(0));
        server.hideJobOnce(ids.mergeJob(0));
        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch)).isEqualTo(new LoadResult(1, 2, false)); // the rows its load job staged
        }
        List<FakeBigQueryServer.Request> merges = server.requests("POST", "/jobs").stream()
                .filter(r -> r.body().contains(ids.mergeJob(0)))
                .toList();
        assertThat(merges).hasSize(2); // submitted again, answered 409
        assertThat(server.job(ids.mergeJob(0))).isNotNull();
        assertThat(server.submittedJobs().size()).isEqualTo(jobsBefore + 1); // a new ledger check, no new merge job
        assertThat(server.uploadedFiles()).hasSize(1); // the load job of the first try was used
    }

    @Test
    void aFailedJobOfAnEarlierTryMovesToTheNextAttempt() throws Exception {
        LoadBatch batch = batch("b1", write(Row.of(Op.INSERT, 1, 1, "one")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "b1");
        server.addJob(ids.loadJob(0, 0), loadConfiguration(ids.stagingTable(0)), "Error while reading data", 0);
        server.addJob(
                ids.mergeJob(0), queryConfiguration("DECLARE …"), "Transaction is aborted due to concurrent update", 0);

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch)).isEqualTo(new LoadResult(1, 2, false));
        }
        assertThat(server.submittedJobs()).containsKeys(ids.loadJob(0, 1), ids.mergeJob(1));
    }

    @Test
    void aStagingTableThatExpiredIsLoadedAgainUnderTheNextAttempt() throws Exception {
        LoadBatch batch = batch("b1", write(Row.of(Op.INSERT, 1, 1, "one")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "b1");
        server.addJob(ids.loadJob(0, 0), loadConfiguration(ids.stagingTable(0)), null, 1); // its table is gone

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            destination.load(batch);
        }
        assertThat(server.submittedJobs()).containsKey(ids.loadJob(0, 1));
        assertThat(server.uploadedFiles()).hasSize(1);
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedByTheClient() throws Exception {
        LoadBatch batch = batch("b1", write(Row.of(Op.INSERT, 1, 1, "one")));
        server.failNext("GET", "/tables/loads$", 503, "backendError");
        server.failNext("POST", "/jobs$", 500, "internalError");
        server.failNext("POST", "/jobs$", 403, "rateLimitExceeded");
        server.failNext("GET", "/queries/", 502, "backendError");

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch)).isEqualTo(new LoadResult(1, 2, false));
        }
        assertThat(server.requests("GET", "/datasets/elt_cdc/tables/loads")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aClientErrorIsNotRetriedAndFailsTheBatchNamingIt() throws Exception {
        LoadBatch batch = batch("batch-42", write(Row.of(Op.INSERT, 1, 1, "one")));
        server.failNext("GET", "/tables/loads$", 403, "accessDenied");

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThatThrownBy(() -> destination.load(batch))
                    .isInstanceOf(LoadException.class)
                    .hasMessageContaining("batch-42")
                    .hasMessageContaining("shop.items")
                    .hasMessageContaining("BigQuery project test-project")
                    .hasMessageContaining("scripted failure")
                    .satisfies(e -> assertThat(TransientFaults.whatToFix(e, "destination"))
                            .as("a missing permission needs a person: the run stops at once")
                            .hasValueSatisfying(fix -> assertThat(fix).contains("destination.credentials-file")));
        }
        assertThat(server.requests("GET", "/datasets/elt_cdc/tables/loads")).hasSize(1);
    }

    @Test
    void aFailedTransactionFailsTheBatchWithBigQuerysMessageAndIsNotRetried() throws Exception {
        LoadBatch batch = batch("bad", write(Row.of(Op.INSERT, 1, 1, "one")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "bad");
        server.failQueries(
                "DECLARE",
                "Query error: Assertion failed: a staged record of shop.items lacks the value of"
                        + " key column id at [12:1]");

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThatThrownBy(() -> destination.load(batch))
                    .isInstanceOf(LoadException.class)
                    .hasMessageContaining("batch bad of table shop.items")
                    .hasMessageContaining("merging batch bad into shop.items failed (BigQuery job " + ids.mergeJob(0))
                    .hasMessageContaining("lacks the value of key column id");
        }
        assertThat(server.submittedJobs()).containsKey(ids.mergeJob(0)).doesNotContainKey(ids.mergeJob(1));
        // The staging table stays for the retry (and expires by itself).
        assertThat(server.hasTable("elt_cdc_staging", ids.stagingTable(0))).isTrue();
    }

    /**
     * Hard-delete mode while the table's snapshot is incomplete: the first such batch adds
     * {@code _elt_deleted} (the rows there marked not deleted) and its merge writes DELETE winners as
     * tombstones instead of deleting; the batch completing the snapshot, here without files, deletes
     * the tombstones in its transaction, before the ledger row.
     */
    @Test
    void batchesDuringTheSnapshotWriteTombstonesAndTheCompletingOnePurgesThem() throws Exception {
        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            destination.load(batch("b1", write(Row.of(Op.INSERT, 1, 1, "one"))));
            String plain = mergeSql("b1");
            assertThat(plain).contains("THEN DELETE").doesNotContain("_elt_deleted");
            assertThat(ddl()).noneMatch(sql -> sql.contains("_elt_deleted"));

            destination.load(batch("b2", write(Row.of(Op.DELETE, 5, 2, null))).withTombstones(true, false));
            assertThat(ddl())
                    .anyMatch(sql -> sql.startsWith("ALTER TABLE `test-project`.`shop`.`items`")
                            && sql.contains("ADD COLUMN IF NOT EXISTS `_elt_deleted` BOOL"))
                    .contains("UPDATE `test-project`.`shop`.`items` SET `_elt_deleted` = FALSE"
                            + " WHERE `_elt_deleted` IS NULL");
            assertThat(mergeSql("b2"))
                    .doesNotContain("THEN DELETE")
                    .contains("`_elt_deleted` = (w.`_elt_op` = 'DELETE')")
                    .doesNotContain("WHERE `_elt_deleted` = TRUE");

            destination.load(batch("b3").withTombstones(true, true));
        }
        String purge = "DELETE FROM `test-project`.`shop`.`items` WHERE `_elt_deleted` = TRUE;\n"
                + "SET rows_merged = rows_merged + COALESCE(@@row_count, 0);\n"
                + "INSERT INTO `test-project`.`elt_cdc`.`loads`";
        assertThat(mergeSql("b3")).contains(purge).doesNotContain("MERGE INTO");
    }

    @Test
    void aCompletingBatchPurgesNothingWhereNoTombstoneWasKept() throws Exception {
        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            destination.load(batch("b1", write(Row.of(Op.INSERT, 1, 1, "one"))).withTombstones(false, true));
        }
        try (BigQueryDestination destination = destination(DeleteMode.SOFT)) {
            destination.load(batch("b2", write(Row.of(Op.DELETE, 2, 1, null))).withTombstones(true, true));
        }
        assertThat(mergeSql("b1")).doesNotContain("`_elt_deleted`");
        assertThat(mergeSql("b2")).contains("`_elt_deleted`").doesNotContain("WHERE `_elt_deleted` = TRUE");
    }

    /** The SQL of the transaction of batch {@code batchId} of shop.items. */
    private String mergeSql(String batchId) {
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", batchId);
        return server.submittedJobs()
                .get(ids.mergeJob(0))
                .path("query")
                .path("query")
                .asText();
    }

    /** The SQL of every query job that is not a transaction. */
    private List<String> ddl() {
        return server.submittedJobs().values().stream()
                .map(c -> c.path("query").path("query").asText())
                .filter(sql -> !sql.isEmpty() && !sql.startsWith("DECLARE"))
                .toList();
    }

    @Test
    void aBatchTheLedgerHoldsRunsNoLoadJob() throws Exception {
        ledgerHasBatch = true;
        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch("b1", write(Row.of(Op.INSERT, 1, 1, "one")))))
                    .isEqualTo(LoadResult.alreadyLoaded());
        }
        assertThat(server.uploadedFiles()).isEmpty();
        assertThat(server.submittedJobs().values()).allMatch(c -> c.has("query"));
    }

    @Test
    void filesOfTwoLayoutsAreReencodedIntoOneContainer() throws Exception {
        TableSchema v2 = new TableSchema(
                ITEMS,
                List.of(
                        new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                        Column.of("name", ColumnType.STRING),
                        Column.decimal("price", 10, 2)),
                List.of("id"));
        StagedFile old =
                StagedFiles.writeWithoutUnchangedField(files, ITEMS_SCHEMA, List.of(Row.of(Op.INSERT, 1, 1, "one")));
        StagedFile current = StagedFiles.write(
                files, v2, List.of(Row.update(2, new int[] {1}, 1, null, new java.math.BigDecimal("1.50"))));

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            assertThat(destination.load(batch("b1", old, current)).rowsStaged()).isEqualTo(2);
        }
        byte[] container = server.uploadedFiles().get(0);
        List<String> rows = new ArrayList<>();
        try (var in = new org.apache.avro.file.DataFileStream<org.apache.avro.generic.GenericRecord>(
                new java.io.ByteArrayInputStream(container), new org.apache.avro.generic.GenericDatumReader<>())) {
            assertThat(in.getSchema().getFields().stream().map(f -> f.name()).toList())
                    .containsExactly("id", "name", "price", "_elt_op", "_elt_position", "_elt_unchanged");
            in.forEach(r -> rows.add(r.get("id") + " " + r.get("name") + " " + (r.get("price") != null) + " "
                    + r.get("_elt_unchanged")));
        }
        assertThat(rows).containsExactly("1 one false []", "1 null true [1]");
    }

    @Test
    void aTimestampColumnIsStagedAsPlainMicrosAndMergedAsDatetime() throws Exception {
        // A key and a value column of pipeline type TIMESTAMP (DATETIME in BigQuery): the files carry
        // them as Avro local-timestamp-micros, which a load job has loaded as INT64; staged as a plain
        // long they are INT64 for sure, and the merge makes them DATETIME.
        TableSchema events = new TableSchema(
                new TableId("shop", "events"),
                List.of(
                        new Column("at", ColumnType.TIMESTAMP, 0, 0, false, "timestamp"),
                        Column.of("seen", ColumnType.TIMESTAMP)),
                List.of("at"));
        LocalDateTime at = LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000); // before 1970: negative micros
        LocalDateTime seen = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000);
        StagedFile file = StagedFiles.write(files, events, List.of(Row.of(Op.INSERT, 1, at, seen)));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "events", "b1");

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            destination.load(new LoadBatch("shop-pipeline", events.id(), "b1", List.of(file)));
        }

        // The Avro schema written for the staging load: plain longs, no logical type.
        try (DataFileStream<GenericRecord> staged = uploaded(0)) {
            for (String field : List.of("at", "seen")) {
                Schema value = nonNull(staged.getSchema().getField(field).schema());
                assertThat(value.getType()).as(field).isEqualTo(Schema.Type.LONG);
                assertThat(value.getLogicalType()).as(field).isNull();
            }
            GenericRecord row = staged.next();
            assertThat(row.get("at")).isEqualTo(-1L);
            assertThat(row.get("seen")).isEqualTo(253_402_300_799_999_999L);
        }
        // The SQL that moves them into the DATETIME columns: the key match, the update and the insert.
        String sql = server.submittedJobs()
                .get(ids.mergeJob(0))
                .path("query")
                .path("query")
                .asText();
        assertThat(sql)
                .contains(
                        "ON t.`at` = DATETIME(TIMESTAMP_MICROS(w.`at`))",
                        "`seen` = DATETIME(TIMESTAMP_MICROS(w.`seen`))",
                        "VALUES (DATETIME(TIMESTAMP_MICROS(w.`at`)), DATETIME(TIMESTAMP_MICROS(w.`seen`)), w.`_elt_op`");
    }

    @Test
    void unchangedColumnsAreStagedAsANonNullArrayEmptyWhereTheSourceSentEveryColumn() throws Exception {
        // BigQuery makes an Avro array a REPEATED column, which holds no NULL: the files' nullable
        // array is staged as an array that is empty where the file has NULL.
        LoadBatch batch = batch(
                "b1",
                write(Row.of(Op.INSERT, 1, 1, "one"), Row.update(2, new int[] {1}, 1, null)),
                write(Row.of(Op.UPDATE, 3, 2, "two")));
        BatchIds ids = new BatchIds("shop-pipeline", "shop", "items", "b1");

        try (BigQueryDestination destination = destination(DeleteMode.HARD)) {
            destination.load(batch);
        }

        List<String> unchanged = new ArrayList<>();
        try (DataFileStream<GenericRecord> staged = uploaded(0)) {
            Schema.Field field = staged.getSchema().getField("_elt_unchanged");
            assertThat(field.schema().getType()).isEqualTo(Schema.Type.ARRAY);
            assertThat(field.schema().getElementType().getType()).isEqualTo(Schema.Type.INT);
            assertThat(field.defaultVal()).isEqualTo(List.of());
            staged.forEach(r -> unchanged.add(String.valueOf(r.get("_elt_unchanged"))));
        }
        assertThat(unchanged).containsExactly("[]", "[1]", "[]");
        // The SQL reads an empty list as "no unchanged columns".
        String sql = server.submittedJobs()
                .get(ids.mergeJob(0))
                .path("query")
                .path("query")
                .asText();
        assertThat(sql)
                .contains(
                        "ASSERT NOT EXISTS (SELECT 1 FROM `test-project`.`elt_cdc_staging`.`" + ids.stagingTable(0)
                                + "` AS s WHERE 0 IN UNNEST(s.`_elt_unchanged`))",
                        "LOGICAL_OR(ARRAY_LENGTH(s.`_elt_unchanged`) > 0)",
                        "1 NOT IN UNNEST(s.`_elt_unchanged`)",
                        "IF((1 IN UNNEST(w.`_elt_unchanged`)), ")
                .doesNotContain("`_elt_unchanged` IS NULL", "`_elt_unchanged` IS NOT NULL");
    }

    /** The {@code index}th uploaded Avro container. */
    private DataFileStream<GenericRecord> uploaded(int index) throws Exception {
        return new DataFileStream<>(
                new ByteArrayInputStream(server.uploadedFiles().get(index)), new GenericDatumReader<>());
    }

    private static Schema nonNull(Schema schema) {
        return schema.isUnion()
                ? schema.getTypes().stream()
                        .filter(s -> s.getType() != Schema.Type.NULL)
                        .findFirst()
                        .orElseThrow()
                : schema;
    }

    private static Map<String, String> parameters(JsonNode query) {
        Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode parameter : query.path("queryParameters")) {
            out.put(
                    parameter.path("name").asText(),
                    parameter.path("parameterValue").path("value").asText());
        }
        return out;
    }

    private static ObjectNode loadConfiguration(String stagingTable) {
        ObjectNode configuration = FakeBigQueryServer.JSON.createObjectNode();
        ObjectNode load = configuration.putObject("load");
        load.put("sourceFormat", "AVRO");
        load.putObject("destinationTable")
                .put("projectId", "test-project")
                .put("datasetId", "elt_cdc_staging")
                .put("tableId", stagingTable);
        return configuration;
    }

    private static ObjectNode queryConfiguration(String sql) {
        ObjectNode configuration = FakeBigQueryServer.JSON.createObjectNode();
        configuration.putObject("query").put("query", sql).put("useLegacySql", false);
        return configuration;
    }
}
