package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.DatasetDeleteOption;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.testkit.DestinationContractTest;
import java.sql.Connection;
import java.util.List;
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
}
