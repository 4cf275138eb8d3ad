package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.BigQueryException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries BigQuery API calls that failed transiently: HTTP 5xx, 429, and the reasons
 * {@code backendError}, {@code internalError} and {@code rateLimitExceeded} (BigQuery answers a
 * rate limit with 403), with exponential backoff.
 *
 * <p>Needed because the client library (google-cloud-bigquery 2.5x) retries only connection
 * failures and rate-limit messages itself: its calls hand the HTTP error to the retry algorithm
 * untranslated, and a 503 of {@code tables.get} or {@code jobs.insert} is thrown at once. Retrying
 * here is safe: reads are idempotent, and jobs are inserted under deterministic ids (an insert
 * whose first answer was lost meets "already exists" and adopts the job).
 */
final class TransientRetries {
    private static final Logger LOG = LoggerFactory.getLogger(TransientRetries.class);
    static final int MAX_TRIES = 6;
    private static final Duration MAX_DELAY = Duration.ofSeconds(32);
    private static final List<String> TRANSIENT_REASONS = List.of("backendError", "internalError", "rateLimitExceeded");

    private final Duration initialDelay;

    TransientRetries(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    <T> T call(String what, Callable<T> call) throws Exception {
        Duration delay = initialDelay;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (BigQueryException e) {
                if (!isTransient(e) || attempt >= MAX_TRIES) {
                    throw e;
                }
                LOG.warn(
                        "{}: BigQuery answered {} {} ({}); trying again in {} ms",
                        what,
                        e.getCode(),
                        e.getReason(),
                        e.getMessage(),
                        delay.toMillis());
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    static boolean isTransient(BigQueryException e) {
        int code = e.getCode();
        return code == 429
                || code == 500
                || code == 502
                || code == 503
                || code == 504
                || TRANSIENT_REASONS.contains(e.getReason());
    }
}
