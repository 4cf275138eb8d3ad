package io.eltcdc.staging;

import io.eltcdc.model.ChangeRecord;
import java.io.IOException;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * Rolls a part file when it reaches the size limit, when it has been open for the rollover
 * interval, when it has been inactive for the inactivity interval, and at every checkpoint (bulk
 * formats can only roll there). A rolled file is still committed, and so loaded, only by the next
 * checkpoint. The size check runs after each record, so a file may overshoot by one Avro block.
 */
public final class StagingRollingPolicy extends CheckpointRollingPolicy<ChangeRecord, String> {
    private static final long serialVersionUID = 1L;

    private final long rollSizeBytes;
    private final long rollIntervalMillis;
    private final long inactivityMillis;

    public StagingRollingPolicy(long rollSizeBytes, long rollIntervalMillis, long inactivityMillis) {
        this.rollSizeBytes = rollSizeBytes;
        this.rollIntervalMillis = rollIntervalMillis;
        this.inactivityMillis = inactivityMillis;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFileState, ChangeRecord element) throws IOException {
        return partFileState.getSize() >= rollSizeBytes;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFileState, long currentTime) {
        return currentTime - partFileState.getCreationTime() >= rollIntervalMillis
                || currentTime - partFileState.getLastUpdateTime() >= inactivityMillis;
    }
}
