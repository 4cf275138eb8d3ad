package io.eltcdc.job.run;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.config.SourceSettings;
import io.eltcdc.job.config.StagingSettings;
import io.eltcdc.load.StagingLoadSink;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.util.List;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.source.snapshot.SnapshotSource;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.staging.StagingFileSink;
import io.eltcdc.staging.StagingOptions;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Builds the job: snapshot source → (chained) Avro staging writer → load committer. Every operator
 * has a fixed uid, so checkpoints and savepoints of one build restore in the next.
 */
public final class PipelineTopology {
    public static final String SOURCE_UID = "snapshot-source";
    public static final String SINK_UID = "staging-load";

    private PipelineTopology() {}

    /**
     * @param tables the pipeline's tables as discovered before the start ({@link Preflight}): their
     *     target tables are created before the first load, so tables without rows exist too
     * @param sourceOnly read the snapshot and discard the rows (benchmark of the source alone)
     */
    public static void build(StreamExecutionEnvironment env, PipelineConfig config, List<TableSchema> tables,
            boolean sourceOnly) {
        DataStream<ChangeRecord> records = env
                .fromSource(new SnapshotSource(sourceConfig(config.source())), WatermarkStrategy.noWatermarks(),
                        "Snapshot " + config.pipeline().name(), ChangeRecordTypeInfo.INSTANCE)
                .uid(SOURCE_UID);
        if (sourceOnly) {
            records.sinkTo(new DiscardingSink<>()).name("Discard").uid("discard");
            return;
        }
        records.sinkTo(new StagingLoadSink(StagingFileSink.build(stagingOptions(config.staging())),
                        Destinations.factory(config.destination()), config.pipeline().name(), tables))
                .name("Stage and load")
                .uid(SINK_UID);
    }

    static SnapshotSourceConfig sourceConfig(SourceSettings source) {
        return SnapshotSourceConfig.builder()
                .jdbcUrl(source.jdbcUrl())
                .username(source.username())
                .password(source.password() == null ? null : source.password().value())
                .tablePatterns(source.tables())
                .chunkSize(source.chunkSize())
                .customKeys(source.primaryKeys())
                .startPosition(Position.SNAPSHOT)
                .build();
    }

    static StagingOptions stagingOptions(StagingSettings staging) {
        return new StagingOptions(staging.path(), staging.rollSize().getBytes(), staging.rollInterval(),
                staging.inactivityInterval(), staging.compression());
    }
}
