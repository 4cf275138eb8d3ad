package io.eltcdc.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How long staged files stay after they are loaded ({@code staging.retention}).
 *
 * <ul>
 *   <li>{@link #delete()}: deleted as soon as no restore can deliver them again, that is once a
 *       checkpoint taken after their load has completed.
 *   <li>{@link #keep()}: never deleted (audit, replay).
 *   <li>{@link #after(Duration)}: deleted that long after their load, and never before the above.
 * </ul>
 *
 * Restoring a checkpoint or savepoint older than the latest one needs the files its batches name;
 * with deletion on, such a restore finds them gone. Keep them (or long enough) to be able to go back.
 */
public final class StagingRetention implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration keepFor; // null: forever

    private StagingRetention(Duration keepFor) {
        this.keepFor = keepFor;
    }

    public static StagingRetention delete() {
        return new StagingRetention(Duration.ZERO);
    }

    public static StagingRetention keep() {
        return new StagingRetention(null);
    }

    /** @throws IllegalArgumentException when {@code keepFor} is negative */
    public static StagingRetention after(Duration keepFor) {
        Objects.requireNonNull(keepFor, "keepFor");
        if (keepFor.isNegative()) {
            throw new IllegalArgumentException("staged files cannot be kept for a negative time: " + keepFor);
        }
        return new StagingRetention(keepFor);
    }

    /** Whether files are ever deleted. */
    public boolean deletes() {
        return keepFor != null;
    }

    /** Whether files loaded at {@code loadedAtMillis} may go at {@code nowMillis} (once safe). */
    public boolean expired(long loadedAtMillis, long nowMillis) {
        return keepFor != null && nowMillis - loadedAtMillis >= keepFor.toMillis();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StagingRetention r && Objects.equals(keepFor, r.keepFor);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(keepFor);
    }

    @Override
    public String toString() {
        return keepFor == null ? "keep" : keepFor.isZero() ? "delete" : "delete after " + keepFor;
    }
}
