package io.eltcdc.source.log;

import java.io.Serializable;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * How one Flink CDC source's change-log split is read and moved back, for
 * {@link KeyChangeSafeSource}: the split types differ per database, the rule does not.
 *
 * @param <SplitT> the source's split type
 */
public interface LogSplitRewinder<SplitT extends SourceSplit> extends Serializable {
    /** The offset the change-log split starts from, or null when {@code split} is another split. */
    Map<String, ?> startOf(SplitT split);

    /** The change-log split {@code split}, starting from {@code offset} instead. */
    SplitT rewound(SplitT split, Map<String, ?> offset);
}
