package io.eltcdc.job.run;

import io.eltcdc.job.config.DestinationProviders;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.model.TableId;
import io.eltcdc.staging.StagingFileSystems;
import java.io.IOException;
import java.util.List;

/** The {@code resync} command: asks the pipeline to read one table in full again. */
public final class TableResync {

    private TableResync() {}

    /** Why the pipeline cannot re-sync a table, or null when it can. */
    public static String refusal(PipelineConfig config) {
        if (!config.source().allowsTableSyncs()) {
            return "the pipeline does not re-sync tables: set source.allow-resync: true (it runs a table-sync"
                    + " source beside the change log) and restart the pipeline from its state, then ask again";
        }
        DestinationProviders providers = DestinationProviders.installed();
        if (!providers.forType(config.destination().type()).canReplaceTables()) {
            List<String> able = providers.types().stream()
                    .filter(t -> providers.forType(t).canReplaceTables())
                    .toList();
            return "a re-sync replaces the target table, which the "
                    + config.destination().type()
                    + " destination cannot do yet (" + String.join(" and ", able) + " can); drop the target table"
                    + " and start the pipeline over instead";
        }
        return null;
    }

    /** Writes the request into the pipeline's staging folder and says what happens next. */
    public static String request(PipelineConfig config, TableId table) throws IOException {
        FlinkSettings.trustS3Ca(config);
        StagingFileSystems.initialize(FlinkSettings.forFileSystems(config));
        PipelineTopology.tableSyncControl(config).requestResync(table);
        return "Re-sync of " + table + " requested. The running pipeline reads the table again within "
                + PipelineTopology.TABLE_SYNC_POLL.toSeconds() + " s while the other tables keep streaming, and"
                + " replaces its target table once every row is read (watch its log for \"sync complete\"); a"
                + " pipeline that is not running does it when it starts.";
    }
}
