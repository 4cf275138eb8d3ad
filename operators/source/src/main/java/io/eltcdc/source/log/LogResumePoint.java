package io.eltcdc.source.log;

import java.io.Serializable;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;

/**
 * Where the change log may resume without losing the second half of a key change.
 *
 * <p>Debezium's PostgreSQL connector turns one WAL message, an update that changes the key, into
 * two records with the same offset: a delete of the old key and a create of the new one. Flink CDC
 * keeps the offset of the last record it emitted in the checkpoint, and on a restore Debezium
 * resumes <em>after</em> that offset's WAL message. A checkpoint taken between the two records thus
 * resumes past the create, which is lost for good (Debezium fixed this in 3.x, dbz#1554; Flink CDC
 * 3.5 ships 1.9). While such a pair is half emitted, {@link #override()} is the offset of the
 * record before it, which the checkpoint keeps instead: the restore emits the delete again (a
 * no-op downstream, merged by position) and then the create.
 *
 * <p>Not thread-safe: the reader's task thread emits and checkpoints.
 */
public final class LogResumePoint implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Header Debezium puts on the delete half of a key change: the new key. */
    public static final String NEW_KEY = "__debezium.newkey";
    /** Header Debezium puts on the create half of a key change: the old key. */
    public static final String OLD_KEY = "__debezium.oldkey";

    private transient Map<String, ?> lastWhole;
    private transient Map<String, ?> halfEmittedFrom;
    private transient boolean halfEmitted;

    /** The stream starts (or restarts) at {@code offset}: nothing is half emitted. */
    public void started(Map<String, ?> offset) {
        lastWhole = offset;
        halfEmitted = false;
        halfEmittedFrom = null;
    }

    /** A change record of operation {@code op} ({@code c}, {@code u}, {@code d}, ...) was emitted. */
    public void emitted(SourceRecord record, String op) {
        if ("d".equals(op) && record.headers().lastWithName(NEW_KEY) != null) {
            halfEmitted = true;
            halfEmittedFrom = lastWhole;
            return;
        }
        if ("c".equals(op) && record.headers().lastWithName(OLD_KEY) != null) {
            halfEmitted = false;
            halfEmittedFrom = null;
        }
        if (!halfEmitted) {
            lastWhole = record.sourceOffset();
        }
    }

    /** Whether a key change is half emitted: the checkpoint must keep {@link #override()}. */
    public boolean halfEmitted() {
        return halfEmitted;
    }

    /**
     * While {@link #halfEmitted()}: the offset of the last record before the pair, or null when the
     * pair came first since the start (the stream's starting offset is then the one to keep).
     */
    public Map<String, ?> override() {
        return halfEmittedFrom;
    }
}
