package io.eltcdc.source.sidebyside;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * An event between one side's enumerator and the same side's readers. Besides the sources' own
 * events it carries what Flink would otherwise send for the whole source: a reader's split request
 * and the enumerator's "no more splits" (which ends only that side's reader).
 *
 * @param event the source's own event; null for a split request or "no more splits"
 */
record SideEvent(Side side, Kind kind, SourceEvent event) implements SourceEvent {
    enum Kind {
        EVENT,
        SPLIT_REQUEST,
        NO_MORE_SPLITS
    }

    SideEvent {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(kind, "kind");
    }

    static SideEvent of(Side side, SourceEvent event) {
        return new SideEvent(side, Kind.EVENT, Objects.requireNonNull(event, "event"));
    }
}
