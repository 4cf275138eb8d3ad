package io.eltcdc.job.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tells the user of a local run, in one line each, when the job failed and restarts, and why: a
 * local run restarts without a limit (as a cluster run does), so a source or an S3 endpoint that
 * is away shows as these lines instead of an exit.
 *
 * <ul>
 *   <li>The failures come from the mini-cluster's own REST API (its exception history), on a
 *       loopback port chosen here ({@link #configure}).
 *   <li>The line gives the deepest cause's message: what the user can act on.
 *   <li>Best effort: when the REST API does not answer, nothing is printed.
 * </ul>
 */
final class RestartReporter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI exceptions;
    private long lastSeen;

    private RestartReporter(int port, JobID job) {
        this.exceptions = URI.create("http://127.0.0.1:" + port + "/jobs/" + job + "/exceptions?maxExceptions=5");
    }

    /** Serves the mini-cluster's REST API on a free loopback port; the reporter of {@code job} there. */
    static RestartReporter configure(Configuration conf, JobID job) {
        int port = freePort();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, String.valueOf(port));
        conf.set(RestOptions.PORT, port);
        return new RestartReporter(port, job);
    }

    /** Prints a line for each failure since the last call. */
    void print(PrintStream out) {
        JsonNode entries;
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(exceptions)
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            entries = json.readTree(response.body()).path("exceptionHistory").path("entries");
        } catch (IOException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long newest = lastSeen;
        // Newest first: print the unseen ones oldest first.
        for (int i = entries.size() - 1; i >= 0; i--) {
            JsonNode entry = entries.get(i);
            long at = entry.path("timestamp").asLong();
            String trace =
                    entry.path("stacktrace").asText(entry.path("exceptionName").asText());
            // A failure that suppresses restarts ends the run; the runner reports it.
            if (at > lastSeen && !trace.contains(SuppressRestartsException.class.getName())) {
                out.println(TIME.format(Instant.ofEpochMilli(at)) + " the pipeline failed and restarts from its last"
                        + " checkpoint, 1 s to 1 min after each failure, for as long as it takes: "
                        + deepestCause(trace));
                newest = Math.max(newest, at);
            }
        }
        lastSeen = newest;
    }

    /** The message of the last {@code Caused by:} of a stack trace, else of its first line. */
    static String deepestCause(String stackTrace) {
        String line = stackTrace.lines().findFirst().orElse("");
        for (String l : stackTrace.lines().toList()) {
            if (l.startsWith("Caused by: ")) {
                line = l.substring("Caused by: ".length());
            }
        }
        // "a.b.SomeException: message" -> "message"
        int colon = line.indexOf(": ");
        String type = colon < 0 ? line : line.substring(0, colon);
        if (colon > 0 && !type.contains(" ") && type.contains(".")) {
            return line.substring(colon + 2).strip();
        }
        return line.strip();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for the local cluster's REST API", e);
        }
    }
}
