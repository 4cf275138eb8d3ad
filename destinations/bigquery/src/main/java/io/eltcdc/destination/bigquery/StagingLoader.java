package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.LoadJobConfiguration;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;

/**
 * Loads one part of a batch into its staging table with one load job under a deterministic id
 * ({@link BatchIds#loadJob}): straight from the files' {@code gs://} URIs when the pipeline stages
 * on Cloud Storage (BigQuery reads them itself), otherwise by one upload through a
 * {@link TableDataWriteChannel} of the part's files combined into one Avro container
 * ({@link AvroContainerWriter}), which works for any staging storage (S3, local files). BigQuery
 * reads the {@code gs://} files itself only when they already have the part's staged layout
 * ({@link BatchPart#loadsFromCloudStorage}); files written since {@code _elt_unchanged} exists
 * are re-encoded and uploaded.
 *
 * <p>Load jobs read Avro with logical types (dates, times, instants, decimals become DATE, TIME,
 * TIMESTAMP, NUMERIC/BIGNUMERIC rather than integers and bytes; timestamps without time zone are
 * staged as plain INT64 micros, see {@link StagedLayout}), decimals as NUMERIC where it holds them,
 * else BIGNUMERIC ({@code _elt_position}, decimal(38, 0), is BIGNUMERIC), and replace the staging
 * table ({@code WRITE_TRUNCATE}), so even a load that ran twice would leave the rows once.
 */
final class StagingLoader {
    /** The order BigQuery picks from: the first type that holds the decimal's precision and scale. */
    static final List<String> DECIMAL_TARGET_TYPES = List.of("NUMERIC", "BIGNUMERIC", "STRING");

    private final BigQuery bigquery;
    private final BigQueryJobs jobs;
    private final String project;
    private final String stagingDataset;
    private final Map<String, String> labels;

    StagingLoader(
            BigQuery bigquery, BigQueryJobs jobs, String project, String stagingDataset, Map<String, String> labels) {
        this.bigquery = bigquery;
        this.jobs = jobs;
        this.project = project;
        this.stagingDataset = stagingDataset;
        this.labels = Map.copyOf(labels);
    }

    TableId stagingTable(BatchIds ids, int part) {
        return TableId.of(project, stagingDataset, ids.stagingTable(part));
    }

    /** Loads {@code part} (number {@code index} of the batch); returns the rows staged. */
    long load(BatchIds ids, int index, BatchPart part, String what) throws Exception {
        TableId staging = stagingTable(ids, index);
        Job done = jobs.run(
                attempt -> ids.loadJob(index, attempt),
                id -> part.loadsFromCloudStorage()
                        ? bigquery.create(JobInfo.of(id, loadFromCloudStorage(staging, part.uris())))
                        : upload(id, staging, part),
                job -> exists(staging), // a staging table that expired since must be loaded again
                what);
        JobStatistics.LoadStatistics statistics = done.getStatistics();
        return statistics == null || statistics.getOutputRows() == null ? 0 : statistics.getOutputRows();
    }

    private boolean exists(TableId staging) {
        try {
            return jobs.call("reading staging table " + staging.getTable(), () -> bigquery.getTable(staging)) != null;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    LoadJobConfiguration loadFromCloudStorage(TableId staging, List<String> uris) {
        return LoadJobConfiguration.newBuilder(staging, uris, FormatOptions.avro())
                .setUseAvroLogicalTypes(true)
                .setDecimalTargetTypes(DECIMAL_TARGET_TYPES)
                .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
                .setWriteDisposition(JobInfo.WriteDisposition.WRITE_TRUNCATE)
                .setLabels(labels)
                .build();
    }

    WriteChannelConfiguration uploadConfiguration(TableId staging) {
        return WriteChannelConfiguration.newBuilder(staging, FormatOptions.avro())
                .setUseAvroLogicalTypes(true)
                .setDecimalTargetTypes(DECIMAL_TARGET_TYPES)
                .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
                .setWriteDisposition(JobInfo.WriteDisposition.WRITE_TRUNCATE)
                .setLabels(labels)
                .build();
    }

    private Job upload(JobId id, TableId staging, BatchPart part) throws IOException {
        TableDataWriteChannel writer = bigquery.writer(id, uploadConfiguration(staging));
        // On a failure the channel is left unclosed on purpose: closing it would finish the upload
        // and start the load job with part of the rows. The unfinished upload session expires.
        AvroContainerWriter.write(part, Channels.newOutputStream(writer));
        writer.close();
        Job job = writer.getJob();
        if (job == null) {
            throw new IllegalStateException("the upload of " + part.files().size() + " staged files to " + staging
                    + " finished without a load job");
        }
        return job;
    }
}
