package io.eltcdc.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs test code that must end within a bound, like JUnit's {@code assertTimeoutPreemptively},
 * but on a timeout it first prints every thread's stack: a hang seen once in a long suite can then
 * be read from the report instead of being guessed at.
 */
public final class Deadline {
    private Deadline() {}

    public static <T> T within(Duration limit, Callable<T> work) throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deadline-runner");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<T> result = runner.submit(work);
            try {
                return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) { // what the work threw, as it threw it
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            } catch (TimeoutException e) {
                System.err.println("Deadline of " + limit + " passed; the threads now:\n" + threadDump());
                result.cancel(true);
                throw new AssertionError("did not end within " + limit + " (thread dump on stderr)");
            }
        } finally {
            runner.shutdownNow();
        }
    }

    /** Every live thread's full stack, with the locks it holds and waits for. */
    public static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                dump.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) { // ThreadInfo.toString cuts at 8 frames
                dump.append("\tat ").append(frame).append('\n');
            }
            dump.append('\n');
        }
        return dump.toString();
    }
}
