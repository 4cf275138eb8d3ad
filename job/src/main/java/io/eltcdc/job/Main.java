package io.eltcdc.job;

import io.eltcdc.job.config.ConfigException;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.ClusterSubmission;
import io.eltcdc.job.run.LocalPipelineRunner;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.ReplicationCleanup;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.model.TableSchema;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of elt-cdc: {@code java -jar elt-cdc.jar run --pipeline FILE [--snapshot-only]} and
 * {@code drop-slot --pipeline FILE}.
 */
@Command(name = "elt-cdc", mixinStandardHelpOptions = true, version = "elt-cdc 0.1.0",
        description = "Copies PostgreSQL and MySQL tables into a warehouse and keeps them in step, as an Apache"
                + " Flink job.",
        subcommands = {Main.Run.class, Main.DropSlot.class})
public final class Main {
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        int exit = execute(args);
        if (ClusterSubmission.inFlinkClient()) {
            // Inside a Flink client (in application mode: the JobManager itself) never call System.exit.
            if (exit != 0) {
                throw new IllegalStateException("elt-cdc failed (exit code " + exit + "); see the message above");
            }
            return;
        }
        System.exit(exit);
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + LocalPipelineRunner.rootMessage(e));
            return LocalPipelineRunner.EXIT_FAILED;
        });
        return cli.execute(args);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the pipeline in a local Flink mini-cluster: the initial sync, then every change"
                    + " from the source's log until stopped (Ctrl-C); resumes from pipeline.state-dir.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--pipeline", required = true, paramLabel = "FILE", description = "Pipeline YAML file.")
        Path pipeline;

        @Option(names = "--snapshot-only", description = "End once every table's initial sync is loaded.")
        boolean snapshotOnly;

        @Option(names = "--source-only", hidden = true,
                description = "Benchmark aid: read the snapshot and discard the rows.")
        boolean sourceOnly;

        @Option(names = "--progress-interval", defaultValue = "5s", paramLabel = "DURATION",
                description = "How often to print progress (default: ${DEFAULT-VALUE}).",
                converter = DurationConverter.class)
        Duration progressInterval;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = loadOrSayWhy(pipeline);
            if (config == null) {
                return EXIT_USAGE;
            }
            List<TableSchema> tables;
            try {
                tables = Preflight.check(config, System.out);
            } catch (Preflight.PreflightException e) {
                System.out.println("error: " + e.getMessage());
                return LocalPipelineRunner.EXIT_FAILED;
            }
            RunMode mode = sourceOnly ? RunMode.SOURCE_ONLY : snapshotOnly ? RunMode.SNAPSHOT_ONLY : RunMode.CONTINUOUS;
            if (mode.readsChangeLog()) {
                try {
                    Preflight.checkChangeLog(config);
                } catch (Preflight.PreflightException e) {
                    System.out.println("error: " + e.getMessage());
                    return LocalPipelineRunner.EXIT_FAILED;
                }
            }
            if (ClusterSubmission.inFlinkClient()) {
                return ClusterSubmission.submit(config, tables, mode, System.out);
            }
            return new LocalPipelineRunner(config, System.out, progressInterval).run(tables, mode);
        }
    }

    @Command(name = "drop-slot", mixinStandardHelpOptions = true,
            description = "For a PostgreSQL source: drops the pipeline's replication slot and publication, so the"
                    + " server stops keeping WAL for it. Run it when a pipeline is deleted; a pipeline whose slot"
                    + " is dropped needs a new initial sync.")
    static final class DropSlot implements Callable<Integer> {
        @Option(names = "--pipeline", required = true, paramLabel = "FILE", description = "Pipeline YAML file.")
        Path pipeline;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = loadOrSayWhy(pipeline);
            if (config == null) {
                return EXIT_USAGE;
            }
            System.out.println(ReplicationCleanup.dropSlot(config));
            return LocalPipelineRunner.EXIT_OK;
        }
    }

    /** The pipeline file's configuration, or null after printing what is wrong with it. */
    private static PipelineConfig loadOrSayWhy(Path pipeline) {
        try {
            return PipelineConfig.load(pipeline);
        } catch (ConfigException e) {
            System.out.println("error: " + pipeline + ": " + e.getMessage());
            return null;
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return org.apache.flink.util.TimeUtils.parseDuration(value);
        }
    }
}
