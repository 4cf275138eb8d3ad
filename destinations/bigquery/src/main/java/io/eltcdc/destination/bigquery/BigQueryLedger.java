package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableId;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.sql.LoadLedger;
import java.util.Map;

/**
 * The destination's record of loaded batches, table {@code elt_cdc.loads} of the project: one row
 * per (pipeline, target table, batch id), inserted by the batch's merge transaction
 * ({@link TransactionScript}). Checked before a batch is staged, so a batch delivered again costs
 * one small query and no load job.
 */
final class BigQueryLedger {
    static final String DATASET = LoadLedger.SCHEMA;
    static final String TABLE = LoadLedger.TABLE;

    private final BigQuery bigquery;
    private final BigQueryJobs jobs;
    private final TargetTables tables;
    private final String project;
    private boolean exists;

    BigQueryLedger(BigQuery bigquery, BigQueryJobs jobs, TargetTables tables, String project) {
        this.bigquery = bigquery;
        this.jobs = jobs;
        this.tables = tables;
        this.project = project;
    }

    /** The ledger table, qualified and quoted. */
    String sql() {
        return BigQueryNames.qualified(project, DATASET, TABLE);
    }

    /** Creates the ledger's dataset and table unless they exist (checked once per instance). */
    void ensureExists() throws Exception {
        if (exists) {
            return;
        }
        if (jobs.call("reading the ledger table", () -> bigquery.getTable(TableId.of(project, DATASET, TABLE)))
                == null) {
            tables.ensureDataset(DATASET, false);
            jobs.query(
                    QueryJobConfiguration.newBuilder(BigQueryDdl.createLedger(sql()))
                            .setUseLegacySql(false)
                            .build(),
                    "creating the ledger table " + DATASET + "." + TABLE);
        }
        exists = true;
    }

    boolean contains(LoadBatch batch, String tableName) throws Exception {
        QueryJobConfiguration query = QueryJobConfiguration.newBuilder("SELECT COUNT(*) FROM " + sql()
                        + " WHERE pipeline = @pipeline AND table_name = @table_name AND batch_id = @batch_id")
                .setUseLegacySql(false)
                .setNamedParameters(keyOf(batch, tableName))
                .build();
        Job done = jobs.query(query, "checking the ledger");
        for (FieldValueList row :
                jobs.call("reading the ledger", () -> done.getQueryResults()).iterateAll()) {
            return row.get(0).getLongValue() > 0;
        }
        return false;
    }

    /** The query parameters naming a batch's ledger row. */
    static Map<String, QueryParameterValue> keyOf(LoadBatch batch, String tableName) {
        return Map.of(
                "pipeline",
                QueryParameterValue.string(batch.pipeline()),
                "table_name",
                QueryParameterValue.string(tableName),
                "batch_id",
                QueryParameterValue.string(batch.batchId()));
    }
}
