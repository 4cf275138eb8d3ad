package io.eltcdc.source.snapshot;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableId;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.model.sync.TableSyncControl;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Reads single tables in full while the pipeline streams the others from the change log: tables
 * created later ({@code source.capture-new-tables}) and re-synced ones ({@code resync}). Runs beside
 * the snapshot-then-log source for the whole life of a continuous pipeline. Enumerator:
 * {@link TableSyncEnumerator}; readers: the snapshot's, one chunk at a time.
 */
public final class TableSyncSource
        implements Source<ChangeRecord, ChunkSplit, TableSyncState>, ResultTypeQueryable<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final SnapshotSourceConfig config;
    private final TableSyncControl control;
    private final boolean captureNewTables;
    private final Duration pollInterval;
    private final List<TableId> tablesAtStart;

    /**
     * @param tablesAtStart the tables the pipeline's snapshot reads: not new
     * @param pollInterval how often the catalog and the re-sync requests are looked at
     */
    public TableSyncSource(
            SnapshotSourceConfig config,
            TableSyncControl control,
            boolean captureNewTables,
            Duration pollInterval,
            List<TableId> tablesAtStart) {
        this.config = Objects.requireNonNull(config, "config");
        this.control = Objects.requireNonNull(control, "control");
        this.captureNewTables = captureNewTables;
        this.pollInterval = pollInterval;
        this.tablesAtStart = List.copyOf(tablesAtStart);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ChangeRecord, ChunkSplit> createReader(SourceReaderContext readerContext) {
        return new SnapshotSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<ChunkSplit, TableSyncState> createEnumerator(SplitEnumeratorContext<ChunkSplit> context) {
        return restoreEnumerator(context, new TableSyncState(tablesAtStart, null, null));
    }

    @Override
    public SplitEnumerator<ChunkSplit, TableSyncState> restoreEnumerator(
            SplitEnumeratorContext<ChunkSplit> context, TableSyncState checkpoint) {
        return new TableSyncEnumerator(context, config, control, captureNewTables, pollInterval, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ChunkSplit> getSplitSerializer() {
        return ChunkSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<TableSyncState> getEnumeratorCheckpointSerializer() {
        return TableSyncStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return ChangeRecordTypeInfo.INSTANCE;
    }
}
