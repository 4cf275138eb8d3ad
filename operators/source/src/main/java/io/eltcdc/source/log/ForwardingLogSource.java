package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
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
 * A Flink CDC change-log source with something added: every method forwards to the delegate
 * unless a subclass overrides it. (The delegates' own result type is lost behind the HybridSource,
 * so it is given here.)
 *
 * @param <SplitT> the delegate's split type
 * @param <StateT> the delegate's enumerator state type
 */
abstract class ForwardingLogSource<SplitT extends SourceSplit, StateT>
        implements Source<ChangeRecord, SplitT, StateT>, ResultTypeQueryable<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    protected final Source<ChangeRecord, SplitT, StateT> delegate;

    ForwardingLogSource(Source<ChangeRecord, SplitT, StateT> delegate) {
        this.delegate = delegate;
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SourceReader<ChangeRecord, SplitT> createReader(SourceReaderContext context) throws Exception {
        return delegate.createReader(context);
    }

    @Override
    public SplitEnumerator<SplitT, StateT> createEnumerator(SplitEnumeratorContext<SplitT> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, StateT> restoreEnumerator(SplitEnumeratorContext<SplitT> context, StateT state)
            throws Exception {
        return delegate.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<StateT> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return ChangeRecordTypeInfo.INSTANCE;
    }
}
