package io.eltcdc.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The records go from the sources to the stage writer without a network channel (DESIGN.md: source,
 * encoding and writer are chained), with the table syncs' source beside the change log too: a
 * channel would serialize every record of the initial sync.
 */
class PipelineTopologyChainingTest {
    private static final List<TableSchema> TABLES = List.of(
            new TableSchema(new TableId("public", "t"), List.of(Column.of("id", ColumnType.INT64)), List.of("id")));

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theSourcesAndTheStageWriterRunInOneTask(boolean tableSyncs) throws Exception {
        PipelineConfig config = PipelineConfig.parse("""
                pipeline: { name: chaining, parallelism: 2 }
                source: { type: postgres, host: 127.0.0.1, database: d, username: u, tables: [public.t],
                          allow-resync: %s, capture-new-tables: %s }
                staging: { path: "file:///tmp/elt-cdc-chaining-test" }
                destination: { type: postgres, host: 127.0.0.1, database: d, username: u }
                """.formatted(tableSyncs, tableSyncs), name -> null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineTopology.build(env, config, TABLES, RunMode.CONTINUOUS);
        JobGraph graph = env.getStreamGraph().getJobGraph();

        List<String> tasks = new ArrayList<>();
        for (JobVertex vertex : graph.getVertices()) {
            tasks.add(vertex.getName());
        }
        JobVertex writerTask = null;
        for (JobVertex vertex : graph.getVertices()) {
            if (vertex.getName().contains("Writer")) {
                writerTask = vertex;
            }
        }
        assertThat(writerTask)
                .as("the task of the stage writer among %s", tasks)
                .isNotNull();
        assertThat(writerTask.isInputVertex())
                .as("the stage writer's task reads no network input: its sources are chained (tasks: %s)", tasks)
                .isTrue();
        assertThat(writerTask.getName()).contains("Snapshot then change log chaining");
        if (tableSyncs) {
            assertThat(writerTask.getName()).contains("Table syncs chaining");
        }
    }
}
