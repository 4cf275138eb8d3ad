package io.eltcdc.job;

import io.eltcdc.config.ConfigException;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.ClusterSubmission;
import io.eltcdc.job.run.LocalPipelineRunner;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.ReplicationCleanup;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.job.run.TableResync;
import io.eltcdc.job.verify.Verification;
import io.eltcdc.job.verify.VerifyCommand;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of elt-cdc: {@code java -jar elt-cdc.jar run --pipeline FILE [--snapshot-only]},
 * {@code drop-slot --pipeline FILE}, {@code resync --pipeline FILE --table SCHEMA.TABLE} and
 * {@code verify --pipeline FILE [--table SCHEMA.TABLE]…}. Instead of {@code --pipeline FILE}, {@code --pipeline-yaml-base64}
 * takes the file's content: a cluster runs {@code main} where the file does not exist (REST
 * {@code /jars/:id/run} runs it inside the JobManager), so {@code scripts/submit.sh} sends the YAML
 * itself as a program argument.
 */
@Command(
        name = "elt-cdc",
        mixinStandardHelpOptions = true,
        version = "elt-cdc 0.1.0",
        description = "Copies PostgreSQL and MySQL tables into a warehouse and keeps them in step, as an Apache"
                + " Flink job.",
        subcommands = {Main.Run.class, Main.DropSlot.class, Main.Resync.class, Main.Verify.class})
public final class Main {
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        if (ClusterSubmission.inFlinkClient()) {
            runInFlinkClient(args);
            return;
        }
        System.exit(execute(args));
    }

    /**
     * Inside a Flink client ({@code flink run}, REST {@code /jars/:id/run} in the JobManager,
     * application mode) {@code main} must never call System.exit, and its console may be
     * suppressed (REST runs): what the command prints goes to the log too, and a failure becomes an
     * exception that carries the command's {@code error:} lines, which Flink reports to the submitter.
     */
    private static void runInFlinkClient(String[] args) {
        Logger log = LoggerFactory.getLogger(Main.class);
        PrintStream console = System.out;
        PrintStream errors = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeOutputStream(console, captured), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new TeeOutputStream(errors, captured), true, StandardCharsets.UTF_8);
        int exit;
        System.setOut(out);
        System.setErr(err);
        try {
            exit = execute(args);
        } finally {
            out.flush();
            err.flush();
            System.setOut(console);
            System.setErr(errors);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        output.lines().filter(l -> !l.isBlank()).forEach(l -> log.info("elt-cdc: {}", l));
        if (exit != 0) {
            // The command's "error: ..." lines; else (a command line picocli refused) its first line.
            List<String> reasons =
                    output.lines().filter(l -> l.startsWith("error:")).toList();
            if (reasons.isEmpty()) {
                reasons = output.lines().filter(l -> !l.isBlank()).limit(1).toList();
            }
            throw new IllegalStateException("elt-cdc failed (exit code " + exit + ")"
                    + (reasons.isEmpty() ? "; see the JobManager's log" : ": " + String.join(" ", reasons)));
        }
    }

    /** Writes to two streams: the console as it is, and a copy. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + LocalPipelineRunner.rootMessage(e));
            return LocalPipelineRunner.EXIT_FAILED;
        });
        return cli.execute(args);
    }

    /** Where the pipeline comes from: a file, or its content (for a cluster, where the file is not). */
    static final class PipelineInput {
        @Option(names = "--pipeline", required = true, paramLabel = "FILE", description = "Pipeline YAML file.")
        Path file;

        @Option(
                names = "--pipeline-yaml-base64",
                required = true,
                paramLabel = "BASE64",
                description = "The pipeline YAML itself, base64-encoded, instead of --pipeline: how"
                        + " scripts/submit.sh sends it to a Flink cluster, whose JobManager runs this command"
                        + " without the file. $${env:NAME} is resolved where the command runs.")
        String yamlBase64;

        /** The configuration, or null after printing what is wrong with it. */
        PipelineConfig loadOrSayWhy() {
            if (file != null) {
                return Main.loadOrSayWhy(file);
            }
            String yaml;
            try {
                yaml = new String(
                        Base64.getDecoder().decode(yamlBase64.replaceAll("\\s+", "")), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                System.out.println("error: --pipeline-yaml-base64: not base64 (" + e.getMessage() + ")");
                return null;
            }
            try {
                return PipelineConfig.parse(yaml, System::getenv);
            } catch (ConfigException e) {
                System.out.println("error: --pipeline-yaml-base64: " + e.getMessage());
                return null;
            }
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Runs the pipeline in a local Flink mini-cluster: the initial sync, then every change"
                    + " from the source's log until stopped (Ctrl-C); resumes from pipeline.state-dir. Run by a"
                    + " Flink client (flink run, REST /jars/:id/run, application mode), it submits the pipeline"
                    + " to that cluster instead.")
    static final class Run implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        PipelineInput pipeline;

        @Option(names = "--snapshot-only", description = "End once every table's initial sync is loaded.")
        boolean snapshotOnly;

        @Option(
                names = "--source-only",
                hidden = true,
                description = "Benchmark aid: read the snapshot and discard the rows.")
        boolean sourceOnly;

        @Option(
                names = "--progress-interval",
                defaultValue = "5s",
                paramLabel = "DURATION",
                description = "How often to print progress (default: ${DEFAULT-VALUE}).",
                converter = DurationConverter.class)
        Duration progressInterval;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = pipeline.loadOrSayWhy();
            if (config == null) {
                return EXIT_USAGE;
            }
            config.literalSecretWarnings().forEach(System.out::println);
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

    @Command(
            name = "drop-slot",
            mixinStandardHelpOptions = true,
            description = "For a PostgreSQL source: drops the pipeline's replication slot and publication, so the"
                    + " server stops keeping WAL for it. Run it when a pipeline is deleted; a pipeline whose slot"
                    + " is dropped needs a new initial sync.")
    static final class DropSlot implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        PipelineInput pipeline;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = pipeline.loadOrSayWhy();
            if (config == null) {
                return EXIT_USAGE;
            }
            System.out.println(ReplicationCleanup.dropSlot(config));
            return LocalPipelineRunner.EXIT_OK;
        }
    }

    @Command(
            name = "resync",
            mixinStandardHelpOptions = true,
            description = "Reads one table in full again while the pipeline keeps streaming the others, and replaces"
                    + " its target table with the result (for example after a type change stopped the table). The"
                    + " running pipeline picks the request up within seconds; a stopped one when it starts.")
    static final class Resync implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        PipelineInput pipeline;

        @Option(
                names = "--table",
                required = true,
                paramLabel = "SCHEMA.TABLE",
                description = "The table to re-sync, as the source names it (MySQL: database.table).")
        String table;

        @Override
        public Integer call() throws Exception {
            PipelineConfig config = pipeline.loadOrSayWhy();
            if (config == null) {
                return EXIT_USAGE;
            }
            String refusal = TableResync.refusal(config);
            if (refusal != null) {
                System.out.println("error: " + refusal);
                return EXIT_USAGE;
            }
            TableId id = TableId.parse(table.trim());
            System.out.println(TableResync.request(config, id));
            return LocalPipelineRunner.EXIT_OK;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Compares the source tables with their target tables, key range by key range (row counts and"
                    + " a checksum over every column), and prints what differs with example keys. Exit code 0: every"
                    + " table is equal; 1: a table differs (or could not be compared); 2: bad input.")
    static final class Verify implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        PipelineInput pipeline;

        @Option(
                names = "--table",
                paramLabel = "SCHEMA.TABLE",
                description = "A table to compare, as the source names it (repeat for more); default: every table"
                        + " the pipeline selects.")
        List<String> tables;

        @Option(
                names = "--parallelism",
                defaultValue = "4",
                paramLabel = "N",
                description = "Key ranges compared at once (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--settle-timeout",
                defaultValue = "60s",
                paramLabel = "DURATION",
                description = "How long a range that differs is compared again, while the pipeline streams, before"
                        + " it counts as drift (default: ${DEFAULT-VALUE}; 0s for a pipeline that is not running).",
                converter = DurationConverter.class)
        Duration settleTimeout;

        @Option(
                names = "--examples",
                defaultValue = "5",
                paramLabel = "N",
                description = "Example keys shown per kind of difference (default: ${DEFAULT-VALUE}).")
        int examples;

        @Option(
                names = "--progress-interval",
                defaultValue = "10s",
                paramLabel = "DURATION",
                description = "How often a long table's progress is printed to stderr (default: ${DEFAULT-VALUE}).",
                converter = DurationConverter.class)
        Duration progressInterval;

        @Override
        public Integer call() throws Exception {
            if (parallelism < 1 || examples < 0 || settleTimeout.isNegative()) {
                System.out.println(
                        "error: --parallelism must be at least 1, --examples and --settle-timeout at least 0");
                return EXIT_USAGE;
            }
            PipelineConfig config = pipeline.loadOrSayWhy();
            if (config == null) {
                return EXIT_USAGE;
            }
            Verification.Options options = new Verification.Options(
                    parallelism, settleTimeout, Duration.ofSeconds(2), examples, progressInterval);
            return VerifyCommand.run(
                    config,
                    pipeline.file != null ? pipeline.file.toString() : "FILE",
                    tables,
                    options,
                    System.out,
                    System.err);
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
            return TimeUtils.parseDuration(value);
        }
    }
}
