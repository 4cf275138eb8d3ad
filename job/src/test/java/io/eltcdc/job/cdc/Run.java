package io.eltcdc.job.cdc;

import io.eltcdc.job.Main;
import io.eltcdc.testing.JdbcUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A local {@code run} in a thread of its own, its console captured. */
record Run(CompletableFuture<Integer> future, ByteArrayOutputStream buffer) {
    /** How long a run that is to end may take to. */
    static final Duration RUN_ENDS = Duration.ofMinutes(2);

    static Run start(Path pipeline) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CompletableFuture<Integer> future = new CompletableFuture<>();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        Thread thread = new Thread(
                () -> {
                    int exit;
                    try {
                        exit = Main.execute("run", "--pipeline", pipeline.toString(), "--progress-interval", "1s");
                    } catch (Throwable t) {
                        System.setOut(original);
                        future.completeExceptionally(t);
                        return;
                    }
                    System.setOut(original);
                    future.complete(exit);
                },
                "logret-run");
        thread.setDaemon(true);
        thread.start();
        return new Run(future, buffer);
    }

    String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /**
     * Ends a run a failed test left running (it would disturb the next tests in this JVM): its
     * source database is dropped, which stops a run without restarts.
     */
    void endIfRunning(String sourceUrl) throws Exception {
        if (future.isDone()) {
            return;
        }
        JdbcUrl url = JdbcUrl.parse(sourceUrl);
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + url.host() + ":" + url.port() + "/postgres",
                        url.user(),
                        url.password());
                Statement s = c.createStatement()) {
            for (int attempt = 0; attempt < 10; attempt++) {
                s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = '"
                        + url.database() + "' AND active_pid IS NOT NULL");
                try {
                    s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE database = '" + url.database() + "'");
                    s.execute("DROP DATABASE IF EXISTS " + url.database() + " WITH (FORCE)");
                    break;
                } catch (SQLException e) {
                    // the reader connected again in between: end it again
                }
            }
        } catch (SQLException e) {
            // best effort: the test fails for its own reason
        }
        try {
            future.get(RUN_ENDS.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the test fails for its own reason
        }
    }

    /** The run's exit code; fails with its output when it has not ended within {@link #RUN_ENDS}. */
    int awaitExit() throws Exception {
        try {
            return future.get(RUN_ENDS.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end within " + RUN_ENDS.toSeconds() + " s:\n" + output());
        }
    }
}
