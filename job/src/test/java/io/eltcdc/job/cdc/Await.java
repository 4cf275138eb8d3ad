package io.eltcdc.job.cdc;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition, checking it every 200 ms, and fails with {@code what} after a deadline. */
public final class Await {
    public interface Check {
        boolean holds() throws Exception;
    }

    private Await() {}

    public static void until(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(200_000_000L); // poll interval; the deadline bounds the wait
        }
    }
}
