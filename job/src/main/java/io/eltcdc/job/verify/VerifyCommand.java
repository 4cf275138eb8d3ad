package io.eltcdc.job.verify;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.ReplicationCleanup;
import io.eltcdc.job.run.TableResync;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.staging.StagingFileSystems;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code verify} command: compares the pipeline's source tables (or those named) with their
 * target tables and prints what differs. Exit codes: 0 every table is equal, 1 a table differs or
 * could not be compared, 2 bad input (a table the pipeline does not select, a destination verify
 * cannot read).
 */
public final class VerifyCommand {
    public static final int EXIT_BAD_INPUT = 2;

    private VerifyCommand() {}

    /**
     * @param pipelineFile how the repair line names the pipeline file
     * @param tables the {@code --table} values; empty for every table the pipeline selects
     */
    public static int run(
            PipelineConfig config,
            String pipelineFile,
            List<String> tables,
            Verification.Options options,
            PrintStream out,
            PrintStream progress)
            throws Exception {
        // the S3 destination reads its files through Flink's file systems, with the pipeline's S3 settings
        StagingFileSystems.initialize(FlinkSettings.forLocalRun(config));
        try (Destination destination = config.destination().config().create()) {
            Optional<TableChecksums> checksums = destination.checksums();
            if (checksums.isEmpty()) {
                out.println("error: verify is not supported for destination type "
                        + config.destination().type()
                        + " yet (destination.type; it compares DuckDB, PostgreSQL, Snowflake, Redshift, BigQuery and S3"
                        + " destinations)");
                return EXIT_BAD_INPUT;
            }
            List<TableSchema> selected;
            try {
                selected = select(Preflight.sourceTables(config.source()), tables);
            } catch (Preflight.PreflightException e) {
                out.println("error: " + e.getMessage());
                return VerifyReport.DIFFERS;
            } catch (IllegalArgumentException e) {
                out.println("error: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            options = settling(config, options, progress);
            long started = System.nanoTime();
            List<TableResult> results;
            try (TableChecksums c = checksums.get();
                    Verification verification =
                            new Verification(PipelineTopology.snapshotConfig(config.source()), c, options, progress)) {
                results = verification.verify(selected);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String refusal = TableResync.refusal(config);
            out.print(VerifyReport.format(
                    results,
                    table -> "java -jar elt-cdc.jar resync --pipeline " + pipelineFile + " --table " + table
                            + (refusal == null ? "" : "\n          (not possible yet: " + refusal + ")")));
            long rows = results.stream().mapToLong(TableResult::sourceRows).sum();
            out.printf(
                    "verify: %s source rows compared in %.1f s (%s rows/s)%n",
                    VerifyReport.number(rows), seconds, VerifyReport.number((long) (rows / Math.max(seconds, 1e-3))));
            try {
                out.println("verify: result written to " + VerifyResultFile.write(config, results, Instant.now()));
            } catch (Exception e) {
                progress.println("warning: could not write the result file under staging.path: " + e.getMessage());
            }
            return VerifyReport.exitCode(results);
        }
    }

    /**
     * Differing ranges get time to settle only while the pipeline may stream: otherwise nothing is on
     * its way to the destination, and a difference is drift at once.
     */
    private static Verification.Options settling(
            PipelineConfig config, Verification.Options options, PrintStream progress) throws Exception {
        if (options.settleTimeout().isZero()) {
            return options;
        }
        if (ReplicationCleanup.mayBeStreaming(config)) {
            progress.println("verify: the pipeline may be streaming: a range that differs is compared again for up to "
                    + options.settleTimeout().toSeconds() + " s (--settle-timeout) before it counts as drift");
            return options;
        }
        progress.println("verify: the pipeline is not streaming (PostgreSQL: it has no replication slot; MySQL: no"
                + " binlog reader is connected): differences are reported at once");
        return new Verification.Options(
                options.parallelism(),
                java.time.Duration.ZERO,
                options.settlePoll(),
                options.examples(),
                options.progressInterval());
    }

    /** The tables named, in the order given, each of the pipeline's; all of them when none is named. */
    static List<TableSchema> select(List<TableSchema> all, List<String> names) {
        if (names == null || names.isEmpty()) {
            return all;
        }
        List<TableSchema> selected = new ArrayList<>();
        for (String name : names) {
            TableId id = TableId.parse(name.trim());
            TableSchema table = all.stream()
                    .filter(t -> t.id().equals(id))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--table " + name + ": not a table of the"
                            + " pipeline (source.tables selects "
                            + String.join(
                                    ", ",
                                    all.stream().map(t -> t.id().toString()).toList()) + ")"));
            if (!selected.contains(table)) {
                selected.add(table);
            }
        }
        return selected;
    }
}
