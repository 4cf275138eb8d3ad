package io.eltcdc.source.log;

import io.eltcdc.model.Position;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where the source's change log stood before the snapshot began: the continuous sync starts there,
 * so every change made during the snapshot is replayed on top of it.
 *
 * @param position what the snapshot's rows carry: at or below every change the log source emits
 *     afterwards (PostgreSQL: the slot's restart LSN; MySQL: the binlog file and offset)
 * @param binlogFile MySQL: the binlog file to start reading; null for PostgreSQL (the slot knows)
 * @param binlogOffset MySQL: the offset in {@code binlogFile}; 0 for PostgreSQL
 */
public record LogStart(Position position, String binlogFile, long binlogOffset) implements Serializable {

    public LogStart {
        Objects.requireNonNull(position, "position");
    }

    public static LogStart postgres(long restartLsn) {
        return new LogStart(LogPositions.postgresSnapshot(restartLsn), null, 0);
    }

    public static LogStart mysql(String binlogFile, long binlogOffset) {
        return new LogStart(LogPositions.mysqlSnapshot(binlogFile, binlogOffset), binlogFile, binlogOffset);
    }

    @Override
    public String toString() {
        return binlogFile == null
                ? "LSN " + LogPositions.lsnText(position.high())
                : "binlog " + binlogFile + ":" + binlogOffset;
    }
}
