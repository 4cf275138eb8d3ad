package io.eltcdc.source.log;

/**
 * Decides, from how much change log the server holds for the pipeline, when to warn and when to
 * stop ({@link LogRetention}): one warning when the held log crosses {@value LogRetention#WARN_PERCENT} %
 * of {@code source.max-log-retention} (again only after it fell below), and the stop at the limit.
 * Holds no connection: the caller measures and acts; its messages name the key and what to do.
 */
public final class LogRetentionGuard {
    private final LogRetention retention;
    private final String held;
    private boolean warned;

    /** @param held what holds the log, for messages: {@code The replication slot 'x' on host:5432/db} */
    public LogRetentionGuard(LogRetention retention, String held) {
        this.retention = retention;
        this.held = held;
    }

    public LogRetention retention() {
        return retention;
    }

    /** The warning to log now that {@code retained} bytes are held, or null (no limit, below, or already warned). */
    public String warning(long retained) {
        long percent = retention.percentOf(retained);
        if (percent < 0) {
            return null;
        }
        if (percent < LogRetention.WARN_PERCENT) {
            warned = false;
            return null;
        }
        if (warned || percent >= 100) {
            return null;
        }
        warned = true;
        return held + " holds " + LogRetention.describe(retained) + " of log, " + percent + " % of "
                + LogRetention.MAX_KEY + " (" + LogRetention.describe(retention.maxBytes()) + "). At the limit the"
                + " pipeline stops; find what holds it back (a destination that is slow or away, checkpoints that"
                + " fail), or raise " + LogRetention.MAX_KEY + ".";
    }

    /** Whether {@code retained} bytes reach the limit. */
    public boolean atLimit(long retained) {
        return retention.limited() && retained >= retention.maxBytes();
    }

    /**
     * Why the pipeline stops at the limit, and what to do.
     *
     * @param dropped whether the slot was dropped ({@code drop-slot}) before the stop
     */
    public String limitMessage(long retained, boolean dropped) {
        String reached = held + " holds " + LogRetention.describe(retained) + " of log, more than "
                + LogRetention.MAX_KEY + " (" + LogRetention.describe(retention.maxBytes()) + ")";
        if (dropped) {
            return reached + ", so the pipeline dropped its replication slot (" + LogRetention.ON_LIMIT_KEY + ": "
                    + LogRetention.DROP_SLOT + ") and stopped: the server frees that log, and the changes the"
                    + " pipeline had not confirmed are lost. A re-sync is needed: delete the pipeline's state directory"
                    + " (and its destination tables if rows may have been deleted) and run it again.";
        }
        return reached + ", so the pipeline stops before the server's disk fills; the slot is kept. Fix what holds"
                + " the pipeline back (a destination that is slow or away, checkpoints that fail) and run it again"
                + " (it resumes and the server frees the log as it is confirmed), or raise " + LogRetention.MAX_KEY
                + "; to give the log up instead, drop the slot (the drop-slot command) and re-sync.";
    }

    /** The pipeline stops because the log it holds reached {@code source.max-log-retention}. */
    public static final class LimitReachedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public LimitReachedException(String message) {
            super(message);
        }
    }
}
