package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.DatasetDeleteOption;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.StandardSQLTypeName;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.DestinationContractTest;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite against a real BigQuery project: runs when {@code BIGQUERY_PROJECT} and
 * credentials ({@code GOOGLE_APPLICATION_CREDENTIALS} or {@code BIGQUERY_CREDENTIALS_FILE}, a
 * service account's JSON key file) are set, and is skipped naming the missing variable otherwise.
 * {@code BIGQUERY_LOCATION} chooses the location (default US).
 *
 * <p>It drops and recreates the datasets the suite uses ({@link #DATASETS}): use a project of its
 * own, or one where those datasets may go.
 */
class BigQueryDestinationContractTest extends DestinationContractTest {
    /** The datasets the suite's tables land in (source schemas, the override, the ledger, staging). */
    static final List<String> DATASETS =
            List.of("src", "shop", "logs", "Odd_Schema", "analytics", "elt_cdc", "elt_cdc_staging");

    private static String project;
    private static String location;
    private static String credentialsFile;

    @BeforeAll
    static void readEnvironment() {
        project = System.getenv("BIGQUERY_PROJECT");
        credentialsFile = System.getenv("BIGQUERY_CREDENTIALS_FILE");
        String configured = System.getenv("BIGQUERY_LOCATION");
        location = configured == null || configured.isBlank() ? BigQueryOptionsSpec.DEFAULT_LOCATION : configured;
    }

    /**
     * Skips each test, naming what is missing, without a project and credentials. Per test (from
     * the suite's first step, {@link #resetDestination}) so that the build's report lists every
     * test as skipped with the reason.
     */
    private static void requireCredentials() {
        Assumptions.assumeTrue(
                project != null && !project.isBlank(),
                "BIGQUERY_PROJECT is not set: the BigQuery contract suite runs against a real project only");
        Assumptions.assumeTrue(
                credentialsFile != null || System.getenv("GOOGLE_APPLICATION_CREDENTIALS") != null,
                "neither GOOGLE_APPLICATION_CREDENTIALS nor BIGQUERY_CREDENTIALS_FILE is set: the BigQuery contract"
                        + " suite needs a service account's JSON key file");
    }

    private static BigQueryOptionsSpec spec(String dataset, DeleteMode mode) {
        return new BigQueryOptionsSpec(project, location, credentialsFile, null, dataset, null, mode, null);
    }

    private static BigQuery client() throws Exception {
        return BigQueryClients.create(spec(null, DeleteMode.HARD), BigQueryClients.RETRIES);
    }

    @Override
    protected void resetDestination() throws Exception {
        requireCredentials();
        BigQuery bigquery = client();
        for (String dataset : DATASETS) {
            bigquery.delete(
                    com.google.cloud.bigquery.DatasetId.of(project, dataset), DatasetDeleteOption.deleteContents());
        }
    }

    @Override
    protected Destination createDestination(String schemaOverride, DeleteMode deleteMode) {
        return new BigQueryDestination(spec(schemaOverride, deleteMode));
    }

    @Override
    protected Connection connect() {
        try {
            return BigQueryJdbc.connect(client(), project, location);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A rename arrives as a new column (the old one keeps its values); see the README's schema changes. */
    @Override
    protected boolean renamesColumns() {
        return false;
    }

    @Override
    protected String destinationName() {
        return "BigQuery project " + project + " (" + location + ")";
    }

    @Test
    void theTargetTableHasBigQueryTypesAndTheLedgerItsRow() throws Exception {
        io.eltcdc.model.TableSchema schema =
                io.eltcdc.destination.testkit.AllTypes.table(new io.eltcdc.model.TableId("src", "typed"));
        destination().createTables(List.of(schema));
        try (Connection c = connect()) {
            assertThat(query(
                            c,
                            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'src'"
                                    + " AND table_name = 'typed' AND column_name IN ('c_decimal', 'c_ts', 'c_tstz', 'c_json', '_elt_position')"
                                    + " ORDER BY ordinal_position"))
                    .containsExactly(
                            List.of("c_decimal", "BIGNUMERIC(38, 12)"),
                            List.of("c_ts", "DATETIME"),
                            List.of("c_tstz", "TIMESTAMP"),
                            List.of("c_json", "JSON"),
                            List.of("_elt_position", "BIGNUMERIC(38)"));
        }
    }

    /** Staged as INT64 micros (StagedLayout), merged into DATETIME: key and values exact to the microsecond. */
    @Test
    void timestampsRoundTripAsDatetimeThroughKeyMatchUpdateAndFill() throws Exception {
        TableSchema events = new TableSchema(
                new TableId("logs", "events"),
                List.of(
                        new Column("at", ColumnType.TIMESTAMP, 0, 0, false, "timestamp"),
                        Column.of("seen", ColumnType.TIMESTAMP),
                        Column.of("note", ColumnType.STRING)),
                List.of("at"));
        LocalDateTime first = LocalDateTime.of(1, 1, 1, 0, 0);
        LocalDateTime beforeEpoch = LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000);
        LocalDateTime last = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000);
        load(batch(
                events.id(),
                "b1",
                StagedFiles.write(
                        files,
                        events,
                        List.of(
                                Row.of(Op.INSERT, 1, first, last, "a"),
                                Row.of(Op.INSERT, 2, beforeEpoch, first, "b")))));
        // An update of the key beforeEpoch that did not send seen: it keeps its DATETIME value.
        load(batch(
                events.id(),
                "b2",
                StagedFiles.write(files, events, List.of(Row.update(3, new int[] {1}, beforeEpoch, null, "b2")))));

        assertThat(rows("SELECT FORMAT_DATETIME('%Y-%m-%dT%H:%M:%E6S', at), FORMAT_DATETIME('%Y-%m-%dT%H:%M:%E6S',"
                        + " seen), note FROM `" + project + "`.logs.events ORDER BY at"))
                .containsExactly(
                        List.of("0001-01-01T00:00:00.000000", "9999-12-31T23:59:59.999999", "a"),
                        List.of("1969-12-31T23:59:59.999999", "0001-01-01T00:00:00.000000", "b2"));
        assertThat(rows("SELECT column_name, data_type FROM `" + project + "`.logs.INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE table_name = 'events' AND column_name IN ('at', 'seen') ORDER BY ordinal_position"))
                .containsExactly(List.of("at", "DATETIME"), List.of("seen", "DATETIME"));
    }

    /**
     * What a load job makes of the staged layout: {@code _elt_unchanged} a REPEATED INT64 column (empty
     * where the source sent every column), a TIMESTAMP column INT64 micros.
     */
    @Test
    void theStagingTableHasARepeatedUnchangedListAndTimestampMicros() throws Exception {
        TableSchema events = new TableSchema(
                new TableId("logs", "staged"),
                List.of(new Column("id", ColumnType.INT64, 0, 0, false, "int8"), Column.of("at", ColumnType.TIMESTAMP)),
                List.of("id"));
        StagedFile file = StagedFiles.write(
                files,
                events,
                List.of(
                        Row.of(Op.INSERT, 1, 1L, LocalDateTime.of(1970, 1, 1, 0, 0, 1)),
                        Row.update(2, new int[] {1}, 1L, null)));
        BigQuery bigquery = client();
        BigQueryJobs jobs = new BigQueryJobs(
                bigquery, location, Duration.ofSeconds(1), new TransientRetries(Duration.ofSeconds(2)));
        new TargetTables(bigquery, jobs, project, location, DeleteMode.HARD)
                .ensureDataset(BigQueryOptionsSpec.DEFAULT_STAGING_DATASET, true);
        StagingLoader loader =
                new StagingLoader(bigquery, jobs, project, BigQueryOptionsSpec.DEFAULT_STAGING_DATASET, Map.of());
        BatchIds ids = new BatchIds(PIPELINE, "logs", "staged", "live-" + UUID.randomUUID());
        BatchPart part =
                BatchPart.of(events.id(), List.of(BatchFile.open(file))).get(0);

        assertThat(loader.load(ids, 0, part, "loading the staging table")).isEqualTo(2);

        com.google.cloud.bigquery.Schema staged =
                bigquery.getTable(loader.stagingTable(ids, 0)).getDefinition().getSchema();
        Field unchanged = staged.getFields().get(MetadataColumns.UNCHANGED);
        assertThat(unchanged.getMode()).isEqualTo(Field.Mode.REPEATED);
        assertThat(unchanged.getType().getStandardType()).isEqualTo(StandardSQLTypeName.INT64);
        assertThat(staged.getFields().get("at").getType().getStandardType()).isEqualTo(StandardSQLTypeName.INT64);
        assertThat(rows("SELECT ARRAY_LENGTH(_elt_unchanged), at FROM `" + project + "`."
                        + BigQueryOptionsSpec.DEFAULT_STAGING_DATASET + "." + ids.stagingTable(0)
                        + " ORDER BY _elt_position"))
                .containsExactly(List.of(0L, 1_000_000L), Arrays.asList(1L, null));
    }

    /** The rows of {@code sql}, each value as the client reads it (INT64 as Long, the rest as text). */
    private static List<List<Object>> rows(String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        for (FieldValueList row : client().query(QueryJobConfiguration.newBuilder(sql)
                        .setUseLegacySql(false)
                        .build())
                .iterateAll()) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                FieldValue value = row.get(i);
                values.add(
                        value.isNull()
                                ? null
                                : value.getValue() instanceof String text && text.matches("-?\\d+")
                                        ? (Object) Long.valueOf(text)
                                        : value.getStringValue());
            }
            rows.add(values);
        }
        return rows;
    }
}
