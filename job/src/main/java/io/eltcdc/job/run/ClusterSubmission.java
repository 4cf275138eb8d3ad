package io.eltcdc.job.run;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.model.TableSchema;
import java.io.PrintStream;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Submits the pipeline to the cluster of the Flink client that runs this jar ({@code flink run},
 * or the Kubernetes operator's application mode). The cluster's own configuration decides
 * checkpoint storage, restarts and resumption (savepoints); the pipeline file is read here and
 * travels inside the job graph.
 */
public final class ClusterSubmission {
    private ClusterSubmission() {}

    /**
     * True when a Flink client (not {@code java -jar}) runs this code: {@code flink run}, REST
     * {@code /jars/:id/run} (main runs in the JobManager, detached, with its console suppressed) and
     * application mode all install a context environment, never a {@link LocalStreamEnvironment}.
     */
    public static boolean inFlinkClient() {
        return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
    }

    public static int submit(PipelineConfig config, List<TableSchema> tables, RunMode mode, PrintStream out)
            throws Exception {
        if (config.staging().s3() != null) {
            out.println("note: staging.s3 applies to local runs only; a cluster's file systems take the s3.* keys"
                    + " of its own configuration (config.yaml)");
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forCluster(config));
        PipelineTopology.build(env, config, tables, mode);
        JobExecutionResult result = env.execute("elt-cdc " + config.pipeline().name());
        out.println("Submitted pipeline '" + config.pipeline().name() + "' as job " + result.getJobID());
        return LocalPipelineRunner.EXIT_OK;
    }
}
