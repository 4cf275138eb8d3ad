package io.eltcdc.source.log;

import io.eltcdc.config.TlsSettings;
import io.eltcdc.model.ChangeRecord;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * A change-log source whose Debezium settings name converted TLS files ({@code source.tls}: a PKCS-8
 * DER key, PKCS-12 stores): each machine that runs its enumerator or a reader writes them for itself
 * first ({@link TlsSettings#prepareFiles}), as the settings were made where the job was built.
 */
public final class TlsFilesSource<SplitT extends SourceSplit, StateT> extends ForwardingLogSource<SplitT, StateT> {
    private static final long serialVersionUID = 1L;

    private final TlsSettings tls;

    private TlsFilesSource(Source<ChangeRecord, SplitT, StateT> delegate, TlsSettings tls) {
        super(delegate);
        this.tls = tls;
    }

    /** {@code source} itself without TLS settings. */
    public static <SplitT extends SourceSplit, StateT> Source<ChangeRecord, SplitT, StateT> of(
            Source<ChangeRecord, SplitT, StateT> source, TlsSettings tls) {
        return tls == null ? source : new TlsFilesSource<>(source, tls);
    }

    @Override
    public SourceReader<ChangeRecord, SplitT> createReader(SourceReaderContext context) throws Exception {
        tls.prepareFiles();
        return delegate.createReader(context);
    }

    @Override
    public SplitEnumerator<SplitT, StateT> createEnumerator(SplitEnumeratorContext<SplitT> context) throws Exception {
        tls.prepareFiles();
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, StateT> restoreEnumerator(SplitEnumeratorContext<SplitT> context, StateT state)
            throws Exception {
        tls.prepareFiles();
        return delegate.restoreEnumerator(context, state);
    }
}
