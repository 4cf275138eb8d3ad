package io.eltcdc.source.snapshot;

import io.eltcdc.model.TransientFaults;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * The source's failures that need a person (a refused login, a missing database, table or
 * privilege: {@link TransientFaults}) fail the job without restarts, which would only repeat
 * them; the others (a server restarting, a network cut) are left to the job's restarts.
 */
public final class SourceFaults {
    private SourceFaults() {}

    /**
     * The exception to throw for {@code failure}, described by {@code message}: a
     * {@link SnapshotSourceException} with {@code failure} as its cause, or, when a person must act,
     * one that says what to fix, has {@code failure} only as suppressed (so that its message is the
     * one a run reports) and suppresses restarts.
     */
    public static RuntimeException failed(String message, Exception failure) {
        return TransientFaults.whatToFix(failure, "source")
                .<RuntimeException>map(fix -> {
                    SnapshotSourceException refused = new SnapshotSourceException(
                            message + (message.endsWith(".") ? " " : ". ") + capitalized(fix) + ".");
                    refused.addSuppressed(failure);
                    return new SuppressRestartsException(refused);
                })
                .orElseGet(() -> new SnapshotSourceException(message, failure));
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
