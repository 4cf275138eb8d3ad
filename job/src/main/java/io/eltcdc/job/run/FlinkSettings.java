package io.eltcdc.job.run;

import io.eltcdc.config.TlsMaterial;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.config.S3Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/** The Flink configuration of a pipeline: parallelism, checkpoints, state, restarts, S3 keys. */
public final class FlinkSettings {
    private FlinkSettings() {}

    /**
     * Settings of a run in this process's tests: {@link #forCluster} plus a bounded restart
     * strategy, so a broken pipeline fails a test after a few attempts.
     */
    public static Configuration forPipeline(PipelineConfig config) {
        Configuration conf = forCluster(config);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(3));
        return conf;
    }

    /**
     * Settings every run of the pipeline uses, locally or submitted to a cluster. Restarts are
     * left to the cluster's configuration (flink-conf/config.yaml: exponential delay, no limit).
     */
    public static Configuration forCluster(PipelineConfig config) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, config.pipeline().parallelism());
        conf.set(PipelineOptions.NAME, "elt-cdc " + config.pipeline().name());
        // Records are immutable: chained operators may pass them on without copies.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.pipeline().checkpointInterval());
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        if (config.pipeline().stateDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointsDir(config));
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        return conf;
    }

    /**
     * Adds what a local mini-cluster run needs: slots, a fixed job id, the progress reporter. Not the
     * S3 keys: this configuration becomes the job's (it is in the job graph), so they go only to
     * {@link #forFileSystems}, with which this process initializes its file systems.
     */
    public static Configuration forLocalRun(PipelineConfig config) {
        Configuration conf = forCluster(config);
        // A local run keeps going as a cluster run does (flink-conf/config.yaml): restarts without a
        // limit, 1 s to 1 min apart, the delay reset after 10 stable minutes. What needs a person
        // fails without restarts (SuppressRestartsException: a refused login, a lost slot).
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofMinutes(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofMinutes(10));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.pipeline().parallelism());
        // One job id per pipeline, so its checkpoints are always in the same folder.
        conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId(config).toHexString());
        conf.setString(
                "metrics.reporter.progress.factory.class", "io.eltcdc.job.progress.ProgressMetricReporter$Factory");
        return conf;
    }

    /**
     * The configuration this process initializes Flink's file systems with ({@code
     * StagingFileSystems.initialize}) for a local run: {@link #forLocalRun} plus the S3 client's
     * settings from {@code staging.s3}, the secret key resolved here. It never reaches the job: the
     * mini-cluster's tasks use the file systems this process initialized; a cluster's processes read
     * their {@code s3.*} keys from their own configuration.
     */
    public static Configuration forFileSystems(PipelineConfig config) {
        Configuration conf = forLocalRun(config);
        addS3(conf, config.staging().s3());
        return conf;
    }

    /** {@code <state-dir>/checkpoints}: Flink puts each job's checkpoints in a folder named by the job id. */
    public static String checkpointsDir(PipelineConfig config) {
        String dir = config.pipeline().stateDir();
        return (dir.endsWith("/") ? dir : dir + "/") + "checkpoints";
    }

    public static JobID jobId(PipelineConfig config) {
        UUID uuid = UUID.nameUUIDFromBytes(("elt-cdc:" + config.pipeline().name()).getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }

    /**
     * {@code staging.s3.ca-file}: the S3 file system's HTTP client has no trust store of its own and
     * uses the JVM's, so this JVM's default trust gets the CA (besides the JDK's). A cluster's JVMs
     * need it in their own trust store (see README, TLS).
     */
    public static void trustS3Ca(PipelineConfig config) {
        S3Settings s3 = config.staging().s3();
        if (s3 != null && s3.caFile() != null) {
            TlsMaterial.addToJvmTrust(s3.caFile());
        }
    }

    /** The S3 file system's keys (flink-s3-fs-hadoop reads {@code s3.*}). */
    static void addS3(Configuration conf, S3Settings s3) {
        if (s3 == null) {
            return;
        }
        if (s3.endpoint() != null) {
            conf.setString("s3.endpoint", s3.endpoint());
        }
        if (s3.accessKey() != null) {
            conf.setString("s3.access-key", s3.accessKey());
        }
        if (s3.secretKey() != null) {
            conf.setString("s3.secret-key", s3.secretKey().value());
        }
        if (s3.region() != null) {
            conf.setString("s3.endpoint.region", s3.region());
        }
        conf.setString("s3.path.style.access", String.valueOf(s3.pathStyleAccess()));
        // Without it, every file commit checks and deletes directory markers (seen: ~30 s per commit on S3Proxy).
        conf.setString("s3.directory.marker.retention", "keep");
    }
}
