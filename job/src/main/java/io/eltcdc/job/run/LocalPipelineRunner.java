package io.eltcdc.job.run;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.progress.PipelineMetrics;
import io.eltcdc.job.progress.ProgressPrinter;
import io.eltcdc.model.TableSchema;
import io.eltcdc.staging.StagingFileSystems;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

/**
 * Runs a pipeline in a local Flink mini-cluster in this process: resumes from the latest retained
 * checkpoint of the pipeline's state dir, prints progress while it runs, and on Ctrl-C cancels
 * the job, keeping its checkpoints, so the same command resumes.
 */
public final class LocalPipelineRunner {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_STOPPED = 130;

    private final PipelineConfig config;
    private final PrintStream out;
    private final Duration progressInterval;

    public LocalPipelineRunner(PipelineConfig config, PrintStream out, Duration progressInterval) {
        this.config = config;
        this.out = out;
        this.progressInterval = progressInterval;
    }

    /** @param tables the pipeline's tables, as {@link Preflight} found them */
    public int run(List<TableSchema> tables, RunMode mode) throws Exception {
        Configuration conf = FlinkSettings.forLocalRun(config);
        boolean sourceOnly = mode == RunMode.SOURCE_ONLY;
        if (sourceOnly) {
            // Nothing to commit: without checkpoints the job ends with its last row instead of
            // waiting up to one interval for a final checkpoint.
            conf.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        }
        FlinkSettings.trustS3Ca(config);
        StagingFileSystems.initialize(FlinkSettings.forFileSystems(config));
        SnapshotCompletion completion = config.pipeline().stateDir() == null || sourceOnly
                ? null
                : new SnapshotCompletion(config.pipeline().stateDir());
        if (completion != null && completion.completedAt().isPresent()) {
            if (mode == RunMode.SNAPSHOT_ONLY) {
                out.println("The initial sync of pipeline '" + config.pipeline().name() + "' completed at "
                        + completion.completedAt().get() + "; nothing to do. To sync every table again, delete "
                        + completion.location() + ".");
                return EXIT_OK;
            }
            out.println(
                    "error: the initial sync of pipeline '" + config.pipeline().name() + "' ran with"
                            + " --snapshot-only (completed at "
                            + completion.completedAt().get() + "), so no change-log"
                            + " position was kept and changes since are unknown. For continuous sync, start over: delete the"
                            + " state dir " + config.pipeline().stateDir() + " and run again without --snapshot-only.");
            return EXIT_FAILED;
        }
        Optional<String> checkpoint = Optional.empty();
        if (completion != null) {
            checkpoint = CheckpointLocator.latest(FlinkSettings.checkpointsDir(config), FlinkSettings.jobId(config));
        }
        if (completion != null && mode.readsChangeLog()) {
            ChangeLogModeFile modeFile = new ChangeLogModeFile(config.pipeline().stateDir());
            String configured = ChangeLogModeFile.of(config.source().logDuringSnapshot());
            if (checkpoint.isPresent()) {
                Optional<String> mismatch = ChangeLogModeFile.mismatch(
                        modeFile.read().orElse(ChangeLogModeFile.AFTER),
                        configured,
                        config.pipeline().stateDir());
                if (mismatch.isPresent()) {
                    out.println("error: " + mismatch.get() + ".");
                    return EXIT_FAILED;
                }
            } else {
                modeFile.write(configured);
            }
        }
        if (checkpoint.isPresent()) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.get());
            out.println("Resuming pipeline '" + config.pipeline().name() + "' from " + checkpoint.get());
            Optional<String> gone = mode.readsChangeLog() && config.source().logDuringSnapshot()
                    ? LogStartBeforeJob.logGone(PipelineTopology.cdcConfig(config, tables))
                    : Optional.empty();
            if (gone.isPresent()) {
                out.println("error: pipeline '" + config.pipeline().name() + "' failed: " + gone.get());
                return EXIT_FAILED;
            }
        } else {
            out.println("Starting pipeline '" + config.pipeline().name() + "'"
                    + (config.pipeline().stateDir() == null ? " (no state-dir: a stopped run cannot resume)" : ""));
        }

        RestartReporter restarts = RestartReporter.configure(conf, FlinkSettings.jobId(config));
        PipelineMetrics.get().reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        PipelineTopology.build(env, config, tables, mode);
        long started = System.nanoTime();
        JobClient job = env.executeAsync();

        AtomicBoolean stopping = new AtomicBoolean();
        Thread onCtrlC = new Thread(() -> stop(job, stopping), "elt-cdc-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        ProgressPrinter progress = new ProgressPrinter(PipelineMetrics.get(), out);
        try {
            while (true) {
                try {
                    job.getJobExecutionResult().get(progressInterval.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    restarts.print(out);
                    progress.print();
                }
            }
        } catch (ExecutionException e) {
            if (stopping.get()) {
                return EXIT_STOPPED;
            }
            Throwable root = ExceptionUtils.stripExecutionException(e);
            out.println("error: pipeline '" + config.pipeline().name() + "' failed: " + rootMessage(root));
            return EXIT_FAILED;
        } finally {
            removeHook(onCtrlC);
        }
        progress.print();
        if (completion != null && mode == RunMode.SNAPSHOT_ONLY) {
            completion.markCompleted();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long rows = progress.rowsRead();
        out.printf(
                "snapshot finished: %d rows in %.1f s (%.0f rows/s)%n", rows, seconds, rows / Math.max(seconds, 1e-3));
        return EXIT_OK;
    }

    private void stop(JobClient job, AtomicBoolean stopping) {
        stopping.set(true);
        out.println("Stopping pipeline '" + config.pipeline().name() + "' ...");
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
            out.println(
                    config.pipeline().stateDir() == null
                            ? "Stopped. No state-dir is set: the next run starts over."
                            : "Stopped. Run the same command to resume from the last checkpoint.");
        } catch (Exception e) {
            out.println("Stopped (" + e.getClass().getSimpleName() + " while cancelling); the next run resumes"
                    + " from the last completed checkpoint.");
        }
        out.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: let it finish.
        }
    }

    /** The deepest cause's message, on one line: what the user needs, not a stack trace. */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
