package io.eltcdc.job.run;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.config.SourceSettings;
import io.eltcdc.job.config.StagingSettings;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.model.sync.VerificationResultFile;
import io.eltcdc.sink.StagingLoadSink;
import io.eltcdc.source.dialect.SourceKind;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.DeferredLogSource;
import io.eltcdc.source.log.LogSourceFactory;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.log.TablePatterns;
import io.eltcdc.source.sidebyside.SideBySideSource;
import io.eltcdc.source.snapshot.ChunkSplitEnumerator;
import io.eltcdc.source.snapshot.SnapshotSource;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.TableSyncSource;
import io.eltcdc.staging.StagingFileSink;
import io.eltcdc.staging.StagingOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Builds the job: source → (chained) Avro staging writer → load committer. The source is the
 * snapshot alone ({@link RunMode#SNAPSHOT_ONLY}); or, for {@link RunMode#CONTINUOUS}, either a
 * {@link HybridSource} of the snapshot and the change log (the sequential mode), or, with
 * {@code source.log-during-snapshot}, a {@link SideBySideSource} of the two, read at once by the
 * same readers. Every operator has a fixed uid, so checkpoints and savepoints of
 * one build restore in the next; the kinds of source have different uids, their states being
 * different.
 */
public final class PipelineTopology {
    public static final String SNAPSHOT_SOURCE_UID = "snapshot-source";
    public static final String CONTINUOUS_SOURCE_UID = "snapshot-then-log-source";
    public static final String SINK_UID = "staging-load";
    public static final String TABLE_SYNC_SOURCE_UID = "table-sync-source";
    public static final String SNAPSHOT_BESIDE_LOG_UID = "snapshot-beside-log-source";
    /** How often a continuous pipeline looks for new tables and re-sync requests. */
    static final Duration TABLE_SYNC_POLL = Duration.ofSeconds(5);

    private PipelineTopology() {}

    /**
     * @param tables the pipeline's tables as discovered before the start ({@link Preflight}): their
     *     target tables are created before the first load, so tables without rows exist too
     */
    public static void build(
            StreamExecutionEnvironment env, PipelineConfig config, List<TableSchema> tables, RunMode mode) {
        String name = config.pipeline().name();
        boolean besideLog = mode.readsChangeLog() && config.source().logDuringSnapshot();
        DataStream<ChangeRecord> records = besideLog
                ? snapshotBesideLog(env, config, tables)
                : mode.readsChangeLog()
                        ? env.fromSource(
                                        continuousSource(config, tables),
                                        WatermarkStrategy.noWatermarks(),
                                        "Snapshot then change log " + name,
                                        ChangeRecordTypeInfo.INSTANCE)
                                .uid(CONTINUOUS_SOURCE_UID)
                        : env.fromSource(
                                        new SnapshotSource(snapshotConfig(config.source())),
                                        WatermarkStrategy.noWatermarks(),
                                        "Snapshot " + name,
                                        ChangeRecordTypeInfo.INSTANCE)
                                .uid(SNAPSHOT_SOURCE_UID);
        boolean tableSyncs = mode.readsChangeLog() && config.source().allowsTableSyncs();
        if (tableSyncs) {
            // Beside the change log: tables created later and re-synced ones, read while it streams.
            // Opt-in: with two sources the writer is no longer chained to the snapshot's readers, and
            // every record crosses a (local) network channel (measured: the initial sync at 0.61 × its
            // rate). Chaining both sources into a multiple-input operator (Flink's source chaining)
            // removes that cost, but Flink 1.20 leaves chained sources out of the task's operator list,
            // so their state cannot be restored from a checkpoint.
            DataStream<ChangeRecord> syncs = env.fromSource(
                            new TableSyncSource(
                                    snapshotConfig(config.source()),
                                    tableSyncControl(config),
                                    config.source().captureNewTables(),
                                    TABLE_SYNC_POLL,
                                    tables.stream().map(TableSchema::id).toList()),
                            WatermarkStrategy.noWatermarks(),
                            "Table syncs " + name,
                            ChangeRecordTypeInfo.INSTANCE)
                    .uid(TABLE_SYNC_SOURCE_UID);
            records = records.union(syncs);
        }
        if (mode == RunMode.SOURCE_ONLY) {
            records.sinkTo(new DiscardingSink<>()).name("Discard").uid("discard");
            return;
        }
        StagingLoadSink.Builder sink = StagingLoadSink.builder(
                        StagingFileSink.build(stagingOptions(config.staging())),
                        config.destination().config(),
                        name)
                .tables(tables)
                .loadInterval(config.destination().loadInterval())
                .loadParallelism(config.destination().loadParallelism())
                .retention(config.staging().retention())
                .verificationResults(new VerificationResultFile(config.staging().path(), name));
        if (tableSyncs) {
            sink.tableSyncControl(tableSyncControl(config));
        }
        if (besideLog) {
            sink.snapshotBesideLog(tableSyncControl(config));
        }
        records.sinkTo(sink.build()).name("Stage and load").uid(SINK_UID);
    }

    /**
     * The snapshot, whose enumerator first records where the log stands (PostgreSQL: creates the
     * slot), then the change log from there. The output type is given explicitly: HybridSource
     * cannot tell it from its sources.
     */
    static Source<ChangeRecord, ?, ?> continuousSource(PipelineConfig config, List<TableSchema> tables) {
        CdcSourceConfig cdc = cdcConfig(config, tables);
        SnapshotSource snapshot =
                new SnapshotSource(snapshotConfig(config.source()), cdc.kind().logStartRecorder(cdc));
        return HybridSource.<ChangeRecord, ChunkSplitEnumerator>builder(snapshot)
                .addSource(new LogSourceFactory(cdc), Boundedness.CONTINUOUS_UNBOUNDED)
                .build();
    }

    /**
     * The snapshot and the change log side by side: the log start is recorded here, before the job
     * (PostgreSQL: the slot is created), unless the job resumes from a checkpoint or savepoint, whose
     * state has it. Snapshot rows carry that position; the log source reads from it. One source, so
     * the staging writer stays chained to the readers: a {@code DataStream} union of two sources puts
     * a network channel before the writer (the table syncs' union reads at 0.61 × the rate).
     */
    static DataStream<ChangeRecord> snapshotBesideLog(
            StreamExecutionEnvironment env, PipelineConfig config, List<TableSchema> tables) {
        CdcSourceConfig cdc = cdcConfig(config, tables);
        boolean resuming = env.getConfiguration()
                .getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                .isPresent();
        LogStart start = resuming ? null : LogStartBeforeJob.record(cdc, tables);
        SnapshotSourceConfig snapshot = snapshotConfigBuilder(config.source())
                .startPosition(start == null ? Position.SNAPSHOT : start.position())
                .completionMarkers(tableSyncControl(config))
                .build();
        return env.fromSource(
                        new SideBySideSource<>(
                                new SnapshotSource(snapshot),
                                new DeferredLogSource(cdc, start, tableSyncControl(config)),
                                ChangeRecordTypeInfo.INSTANCE),
                        WatermarkStrategy.noWatermarks(),
                        "Snapshot beside change log " + config.pipeline().name(),
                        ChangeRecordTypeInfo.INSTANCE)
                .uid(SNAPSHOT_BESIDE_LOG_UID);
    }

    /** The control files of the pipeline's table syncs, in its staging folder. */
    public static TableSyncControl tableSyncControl(PipelineConfig config) {
        return new TableSyncControl(config.staging().path(), config.pipeline().name());
    }

    static CdcSourceConfig cdcConfig(PipelineConfig config, List<TableSchema> tables) {
        SourceSettings s = config.source();
        SourceKind kind = s.kind();
        String pipeline = config.pipeline().name();
        return new CdcSourceConfig(
                kind,
                s.host(),
                s.port(),
                s.database(),
                s.username(),
                s.password(), // a Secret: resolved where the log source connects
                tables,
                ReplicationNames.slot(pipeline),
                ReplicationNames.publication(pipeline),
                kind.serverIdRange(s.serverId(), pipeline, config.pipeline().parallelism()),
                kind.serverTimeZone(s.serverTimeZone(), () -> Preflight.connect(s), s.host() + ":" + s.port()),
                s.heartbeatInterval(),
                tablePatterns(s),
                s.captureNewTables(),
                s.tls(),
                s.logRetention());
    }

    static TablePatterns tablePatterns(SourceSettings source) {
        return new TablePatterns(source.tables(), source.primaryKeys());
    }

    /** The snapshot source's view of the {@code source} section: how to connect, which tables, chunk size. */
    public static SnapshotSourceConfig snapshotConfig(SourceSettings source) {
        return snapshotConfigBuilder(source).build();
    }

    private static SnapshotSourceConfig.Builder snapshotConfigBuilder(SourceSettings source) {
        return SnapshotSourceConfig.builder()
                .jdbcUrl(source.jdbcUrl())
                .username(source.username())
                .password(source.password()) // a Secret: resolved where the enumerator and readers connect
                .tablePatterns(source.tables())
                .chunkSize(source.chunkSize())
                .customKeys(source.primaryKeys())
                .startPosition(Position.SNAPSHOT)
                .tls(source.tls());
    }

    static StagingOptions stagingOptions(StagingSettings staging) {
        return new StagingOptions(
                staging.path(),
                staging.rollSize().getBytes(),
                staging.rollInterval(),
                staging.inactivityInterval(),
                staging.compression());
    }
}
