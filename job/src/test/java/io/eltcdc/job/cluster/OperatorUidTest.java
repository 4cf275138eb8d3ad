package io.eltcdc.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A savepoint restores into the next build only if every stateful operator keeps its id: every
 * node of the job's stream graph must carry an explicit uid (Flink otherwise derives the id from
 * the graph's shape, which changes with the code), and the uids must stay the ones released builds
 * used. A change to this list breaks restoring older savepoints: it needs a migration note.
 */
class OperatorUidTest {
    private static final String CONFIG_YAML = """
            pipeline: { name: uids, parallelism: 2 }
            source: { type: postgres, host: 127.0.0.1, database: d, username: u, tables: [public.t],
                      log-during-snapshot: false }
            staging: { path: "file:///tmp/elt-cdc-uid-test" }
            destination: { type: postgres, host: 127.0.0.1, database: d, username: u }
            """;
    private static final PipelineConfig CONFIG = parse(CONFIG_YAML);
    private static final List<TableSchema> TABLES = List.of(
            new TableSchema(new TableId("public", "t"), List.of(Column.of("id", ColumnType.INT64)), List.of("id")));

    @ParameterizedTest
    @EnumSource(
            value = RunMode.class,
            names = {"SNAPSHOT_ONLY", "CONTINUOUS"})
    void everyOperatorHasItsReleasedUid(RunMode mode) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineTopology.build(env, CONFIG, TABLES, mode);
        StreamGraph graph = env.getStreamGraph();

        Map<String, String> uidByOperator = new TreeMap<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID())
                    .as("uid of operator '%s'", node.getOperatorName())
                    .isNotBlank();
            uidByOperator.put(node.getOperatorName(), node.getTransformationUID());
        }
        String source =
                mode == RunMode.SNAPSHOT_ONLY ? "Source: Snapshot uids" : "Source: Snapshot then change log uids";
        String sourceUid = mode == RunMode.SNAPSHOT_ONLY ? "snapshot-source" : "snapshot-then-log-source";
        assertThat(uidByOperator)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        source,
                        sourceUid,
                        "Stage and load: Writer",
                        "staging-load",
                        // Derived from the sink's uid by Flink's sink translator: stable as long as that uid is.
                        "Stage and load: Gather checkpoint files",
                        "staging-load: staging-checkpoint-files",
                        "Stage and load: Committer",
                        "Sink Committer: staging-load",
                        "Stage and load: Load into the destination",
                        "staging-load: destination-load"));
    }

    @Test
    void theTableSyncSourceHasItsUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineTopology.build(
                env,
                parse(CONFIG_YAML.replace("tables: [public.t]", "tables: [public.t], allow-resync: true")),
                TABLES,
                RunMode.CONTINUOUS);
        Map<String, String> uidByOperator = new TreeMap<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            uidByOperator.put(node.getOperatorName(), node.getTransformationUID());
        }
        assertThat(uidByOperator)
                .containsEntry("Source: Table syncs uids", "table-sync-source")
                .containsEntry("Source: Snapshot then change log uids", "snapshot-then-log-source")
                .containsEntry("Stage and load: Writer", "staging-load");
    }

    @Test
    void theSourceOfTheSnapshotBesideTheLogHasItsUid() {
        // As when resuming from a checkpoint: the log start is in the state, so no database is asked.
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, "file:///tmp/elt-cdc-uid-test/chk-1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        PipelineTopology.build(
                env,
                parse(CONFIG_YAML.replace("log-during-snapshot: false", "log-during-snapshot: true")),
                TABLES,
                RunMode.CONTINUOUS);
        StreamGraph graph = env.getStreamGraph();
        Map<String, String> uidByOperator = new TreeMap<>();
        for (StreamNode node : graph.getStreamNodes()) {
            uidByOperator.put(node.getOperatorName(), node.getTransformationUID());
        }
        // One source for both, so the staging writer is chained to its readers.
        assertThat(graph.getJobGraph().getVertices())
                .extracting(JobVertex::getName)
                .anyMatch(name -> name.startsWith("Source: Snapshot beside change log uids -> Stage and load: Writer"));
        assertThat(uidByOperator)
                .containsEntry("Source: Snapshot beside change log uids", "snapshot-beside-log-source")
                .containsEntry("Stage and load: Writer", "staging-load")
                .doesNotContainValue("snapshot-then-log-source");
    }

    private static PipelineConfig parse(String yaml) {
        try {
            return PipelineConfig.parse(yaml, name -> null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
