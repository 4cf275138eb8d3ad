package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.model.sync.TableSyncControl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The change-log source read beside the snapshot ({@code source.log-during-snapshot}), made where
 * it runs: Flink CDC's sources take the password as a value, so the source built in {@code main}
 * would carry it in the job graph. This one carries the {@link CdcSourceConfig} (whose password is
 * a reference, resolved where a connection opens) and builds the Flink CDC source on first use, in
 * the JobManager and in each TaskManager; that copy is never serialized.
 *
 * <p>Before its enumerator starts, it checks that the log to read still exists, as the sequential
 * mode's {@link LogSourceFactory} does at the switch: from {@code start} on a fresh start, from the
 * checkpointed offsets on a restore.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class DeferredLogSource
        implements Source<ChangeRecord, SourceSplit, Object>, ResultTypeQueryable<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final CdcSourceConfig config;
    /** Where the log stood before the snapshot began; null when the job resumes (its offsets are checkpointed). */
    private final LogStart start;

    /** The snapshot-complete markers of the snapshot read beside it. */
    private final TableSyncControl snapshotMarkers;

    private transient Source delegate;

    public DeferredLogSource(CdcSourceConfig config, LogStart start, TableSyncControl snapshotMarkers) {
        this.config = config;
        this.start = start;
        this.snapshotMarkers = snapshotMarkers;
    }

    private Source<ChangeRecord, SourceSplit, Object> delegate() {
        if (delegate == null) {
            delegate = LogSourceFactory.logSource(config, start, snapshotMarkers);
        }
        return delegate;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ChangeRecord, SourceSplit> createReader(SourceReaderContext context) throws Exception {
        return delegate().createReader(context);
    }

    @Override
    public SplitEnumerator<SourceSplit, Object> createEnumerator(SplitEnumeratorContext<SourceSplit> context)
            throws Exception {
        LogSourceFactory.checkLogBeforeReading(config, start);
        LogSourceFactory.logStart(config, start);
        return delegate().createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SourceSplit, Object> restoreEnumerator(
            SplitEnumeratorContext<SourceSplit> context, Object checkpoint) throws Exception {
        LogSourceFactory.checkLogBeforeReading(config, null);
        LogSourceFactory.logStart(config, null);
        return delegate().restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SourceSplit> getSplitSerializer() {
        return delegate().getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Object> getEnumeratorCheckpointSerializer() {
        return delegate().getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return ChangeRecordTypeInfo.INSTANCE;
    }

    @Override
    public String toString() {
        return "DeferredLogSource{" + config + (start == null ? ", from its checkpointed offsets" : ", from " + start)
                + '}';
    }
}
