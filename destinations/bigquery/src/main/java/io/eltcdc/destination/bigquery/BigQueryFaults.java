package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import io.eltcdc.model.TransientFaults;
import java.util.Set;

/**
 * Says which of BigQuery's failures are waited out and which need a person, as SQLSTATEs do for
 * the SQL destinations ({@link TransientFaults}): BigQuery answers over HTTP, without them.
 *
 * <ul>
 *   <li>Unavailable for now: HTTP 5xx, and the reasons {@code backendError}, {@code internalError},
 *       {@code rateLimitExceeded} (HTTP 403 too) and {@code jobRateLimitExceeded}; the client has
 *       retried these already, so they lasted.
 *   <li>Needs a person: HTTP 401 and 403 for other reasons (a missing permission), 404 (a project or
 *       dataset that does not exist).
 *   <li>Everything else (a query BigQuery refuses) is left to the job's restarts.
 * </ul>
 */
final class BigQueryFaults {
    private static final Set<String> UNAVAILABLE_REASONS =
            Set.of("backendError", "internalError", "rateLimitExceeded", "jobRateLimitExceeded");

    private BigQueryFaults() {}

    /** {@code failure}, wrapped in what tells its kind when it is a BigQuery failure that says so. */
    static Exception classified(Exception failure) {
        BigQueryException bq = find(failure);
        if (bq == null) {
            return failure;
        }
        String reason = reason(bq);
        int code = bq.getCode();
        String message = bq.getMessage();
        if (code >= 500 || UNAVAILABLE_REASONS.contains(reason)) {
            return new TransientFaults.Unavailable(message, failure);
        }
        if (code == 401 || code == 403) {
            return new TransientFaults.NeedsAPerson(
                    message,
                    "BigQuery refused the service account a permission: grant it the roles the README's BigQuery"
                            + " section lists, or name another account (destination.credentials-file or"
                            + " destination.credentials-json)",
                    failure);
        }
        if (code == 404) {
            return new TransientFaults.NeedsAPerson(
                    message,
                    "a BigQuery project, dataset or table the load needs does not exist: check destination.project,"
                            + " destination.schema and destination.staging-dataset",
                    failure);
        }
        return failure;
    }

    private static BigQueryException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BigQueryException bq) {
                return bq;
            }
        }
        return null;
    }

    private static String reason(BigQueryException e) {
        BigQueryError error = e.getError();
        return error == null || error.getReason() == null ? "" : error.getReason();
    }
}
