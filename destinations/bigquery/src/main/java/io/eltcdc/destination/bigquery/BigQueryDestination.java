package io.eltcdc.destination.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableId;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.MergeRules;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads batches into BigQuery, exactly once in effect:
 * <ol>
 *   <li>the ledger ({@code elt_cdc.loads}) is checked: a batch it holds is skipped;
 *   <li>the files' headers are read; the target dataset and table are created or widened;
 *   <li>each part of the batch (all files, unless a column's type changed within it) is loaded into
 *       a staging table of the staging dataset by one load job ({@link StagingLoader});
 *   <li>one query job runs the merge of every part and the ledger row as one multi-statement
 *       transaction ({@link TransactionScript}, {@link MergeStatements});
 *   <li>the staging tables are dropped (they expire after a day anyway).
 * </ol>
 * Load and merge jobs have ids derived from the pipeline, the target table and the batch id
 * ({@link BatchIds}): a retried batch finds the jobs an earlier try ran and uses them.
 *
 * <p>Quotas: BigQuery allows 1,500 table operations (load jobs, copies, query jobs that write a
 * table) per table and day. Load jobs write the per-batch staging tables, never the target, and
 * the merge is DML, which does not count against that limit. The project's 100,000 load jobs a
 * day do bind (one per table and batch): {@link LoadJobQuota} refuses at start-up a load interval
 * at which the pipeline's tables would need more. Every batch also costs a query job and some slot
 * time, so the pipeline loads BigQuery every 5 minutes by default ({@code destination.load-interval}),
 * with the files of all checkpoints in between in one batch.
 */
public final class BigQueryDestination implements Destination {
    private static final Logger LOG = LoggerFactory.getLogger(BigQueryDestination.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final BigQueryOptionsSpec spec;
    private final RetrySettings retries;
    private final Duration poll;
    private final String name;
    private BigQuery bigquery;
    private BigQueryJobs jobs;
    private TargetTables tables;
    private BigQueryLedger ledger;
    private StagingLoader staging;
    private final Map<String, String> labels = new HashMap<>();

    public BigQueryDestination(BigQueryOptionsSpec spec) {
        this(spec, BigQueryClients.RETRIES, POLL);
    }

    /** With the client's HTTP retries and the job polling delay given: tests make both fast. */
    BigQueryDestination(BigQueryOptionsSpec spec, RetrySettings retries, Duration poll) {
        this.spec = spec;
        this.retries = retries;
        this.poll = poll;
        this.name = "BigQuery project " + spec.project() + " (" + spec.location() + ")";
    }

    private synchronized void open() throws Exception {
        if (bigquery != null) {
            return;
        }
        bigquery = BigQueryClients.create(spec, retries);
        jobs = new BigQueryJobs(bigquery, spec.location(), poll, new TransientRetries(poll.multipliedBy(2)));
        tables = new TargetTables(bigquery, jobs, spec.project(), spec.location(), spec.deleteMode());
        ledger = new BigQueryLedger(bigquery, jobs, tables, spec.project());
    }

    @Override
    public synchronized void createTables(List<TableSchema> schemas) throws Exception {
        try {
            open();
            for (TableSchema schema : schemas) {
                tables.ensure(
                        datasetOf(schema.id()),
                        BigQueryNames.table(schema.id().table()),
                        BatchColumns.of(schema.id(), List.of(schema)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "creating the target tables in " + name + " failed: " + LoadException.describe(e), e);
        }
    }

    @Override
    public synchronized LoadResult load(LoadBatch batch) throws LoadException {
        String dataset = null;
        String table = BigQueryNames.table(batch.table().table());
        try {
            dataset = datasetOf(batch.table());
            open();
            String tableName = dataset + "." + table;
            ledger.ensureExists();
            if (ledger.contains(batch, tableName)) {
                return LoadResult.alreadyLoaded();
            }
            List<BatchFile> files = new ArrayList<>();
            for (StagedFile file : batch.files()) {
                files.add(BatchFile.open(file));
            }
            List<BatchPart> parts = BatchPart.of(batch.table(), files);
            BatchIds ids = new BatchIds(batch.pipeline(), dataset, table, batch.batchId());
            String target = BigQueryNames.qualified(spec.project(), dataset, table);
            List<MergeStatements> merges = new ArrayList<>();
            List<String> lastColumns = List.of();
            long staged = 0;
            for (int i = 0; i < parts.size(); i++) {
                BatchPart part = parts.get(i);
                DeleteMode mode = MergeRules.deleteModeOf(
                        spec.deleteMode(), batch, part.columns().hasKey());
                List<String> targetColumns = tables.ensure(dataset, table, part.columns(), mode);
                lastColumns = targetColumns;
                tables.ensureDataset(spec.stagingDataset(), true);
                staged += stagingLoader(batch)
                        .load(
                                ids,
                                i,
                                part,
                                "loading part " + i + " of batch " + batch.batchId() + " of " + tableName
                                        + " into its staging table");
                TableId stage = staging.stagingTable(ids, i);
                merges.add(new MergeStatements(
                        target,
                        tableName,
                        BigQueryNames.qualified(stage.getProject(), stage.getDataset(), stage.getTable()),
                        StagedColumn.of(part),
                        part.hasUnchangedField(),
                        targetColumns,
                        mode));
            }
            if (parts.isEmpty()) { // a batch without rows may still complete the snapshot
                lastColumns = tables.columns(dataset, table);
            }
            boolean hasDeleted = lastColumns.stream().anyMatch(MetadataColumns.DELETED::equalsIgnoreCase);
            List<String> purge = MergeRules.purgesTombstones(spec.deleteMode(), batch, hasDeleted)
                    ? MergeStatements.purgeTombstones(target)
                    : List.of();
            LoadResult result = merge(batch, ids, tableName, merges, purge, staged);
            dropStagingTables(ids, parts.size());
            return result;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LoadException(
                    batch,
                    dataset == null ? null : new TargetTable(null, dataset, table),
                    name,
                    BigQueryFaults.classified(e),
                    spec.credentialsJson());
        }
    }

    private StagingLoader stagingLoader(LoadBatch batch) {
        labels.put("elt-cdc-pipeline", BigQueryNames.label(batch.pipeline()));
        if (staging == null) {
            staging = new StagingLoader(bigquery, jobs, spec.project(), spec.stagingDataset(), labels);
        }
        return staging;
    }

    /** Runs the transaction of the batch under its deterministic job id. */
    private LoadResult merge(
            LoadBatch batch,
            BatchIds ids,
            String tableName,
            List<MergeStatements> merges,
            List<String> purge,
            long staged)
            throws Exception {
        Map<String, QueryParameterValue> parameters = new HashMap<>(BigQueryLedger.keyOf(batch, tableName));
        parameters.put("files", QueryParameterValue.int64(batch.files().size()));
        parameters.put("rows_staged", QueryParameterValue.int64(staged));
        QueryJobConfiguration script = QueryJobConfiguration.newBuilder(
                        TransactionScript.of(ledger.sql(), merges, purge))
                .setUseLegacySql(false)
                .setNamedParameters(parameters)
                .setLabels(Map.of("elt-cdc-pipeline", BigQueryNames.label(batch.pipeline())))
                .build();
        Job done = jobs.run(
                ids::mergeJob,
                id -> bigquery.create(JobInfo.of(id, script)),
                job -> true,
                "merging batch " + batch.batchId() + " into " + tableName);
        try {
            for (FieldValueList row : jobs.call("reading the merge's result", () -> done.getQueryResults())
                    .iterateAll()) {
                if (row.get(0).getBooleanValue()) {
                    return LoadResult.alreadyLoaded();
                }
                return new LoadResult(staged, row.get(1).getLongValue(), false);
            }
        } catch (BigQueryException e) {
            // A transaction job of an earlier try whose results expired: it committed, so the batch is loaded.
            LOG.info(
                    "merge job of batch {} of {} finished earlier; its results are gone ({})",
                    batch.batchId(),
                    tableName,
                    e.getMessage());
        }
        return LoadResult.alreadyLoaded();
    }

    /** Best effort: a staging table left behind expires with the staging dataset's default expiration. */
    private void dropStagingTables(BatchIds ids, int parts) throws InterruptedException {
        for (int i = 0; i < parts; i++) {
            TableId stage = staging.stagingTable(ids, i);
            try {
                jobs.call("dropping staging table " + stage.getTable(), () -> bigquery.delete(stage));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    throw (InterruptedException) e;
                }
                LOG.warn(
                        "dropping staging table {} failed (it expires by itself): {}",
                        stage.getTable(),
                        e.getMessage());
            }
        }
    }

    /** Each question as a query job of a client of its own (thread-safe): questions run in parallel. */
    @Override
    public Optional<TableChecksums> checksums() {
        try {
            return Optional.of(new BigQueryTableChecksums(
                    BigQueryClients.create(spec, retries), spec.project(), name, this::datasetOf));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(name + ": cannot create the BigQuery client: " + e.getMessage(), e);
        }
    }

    private String datasetOf(io.eltcdc.model.TableId table) {
        return BigQueryNames.dataset(spec.datasetOverride() != null ? spec.datasetOverride() : table.schema());
    }

    @Override
    public boolean supportsTombstones() {
        return true;
    }

    @Override
    public synchronized void close() {
        // The client holds no connections of its own beyond the HTTP transport's pool.
        bigquery = null;
        jobs = null;
        tables = null;
        ledger = null;
        staging = null;
    }

    @Override
    public String toString() {
        return "BigQueryDestination[" + name + "]";
    }
}
