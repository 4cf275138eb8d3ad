package io.eltcdc.destination.bigquery;

import com.google.cloud.RetryOption;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.QueryJobConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs BigQuery jobs under deterministic ids (see {@link BatchIds}), so that a batch retried after a
 * crash never runs a job twice:
 * <ul>
 *   <li>before submitting attempt {@code n}, the job of that id is looked up; one that exists (an
 *       earlier try submitted it) is waited for and its result used instead of submitting again;
 *   <li>a submit answered with 409 "already exists" (a concurrent try, or a retried insert whose
 *       first answer was lost) adopts that job the same way;
 *   <li>an earlier try's job that failed moves on to attempt {@code n + 1}: a job id can run once;
 *   <li>a job of this try that failed throws, except for failures BigQuery names transient (a
 *       transaction aborted by a concurrent update, a backend error), retried a few times as the
 *       next attempt.
 * </ul>
 * HTTP-level retries (5xx, rate limits) are the client library's, per {@code BigQueryOptions}'
 * retry settings.
 */
final class BigQueryJobs {
    private static final Logger LOG = LoggerFactory.getLogger(BigQueryJobs.class);
    /** Attempts looked at before giving up: each failed try of a batch uses one. */
    static final int MAX_ATTEMPTS = 100;
    /** Failures of this try's own jobs that are retried at once (as the next attempt). */
    static final int TRANSIENT_RETRIES = 3;

    private static final List<String> TRANSIENT_REASONS =
            List.of("backendError", "internalError", "rateLimitExceeded", "jobBackendError", "jobInternalError");

    private final BigQuery bigquery;
    private final String location;
    private final Duration pollDelay;
    private final TransientRetries retries;

    BigQueryJobs(BigQuery bigquery, String location, Duration pollDelay, TransientRetries retries) {
        this.bigquery = bigquery;
        this.location = location;
        this.pollDelay = pollDelay;
        this.retries = retries;
    }

    /** Runs an API call, retrying transient failures. */
    <T> T call(String what, Callable<T> call) throws Exception {
        return retries.call(what, call);
    }

    /** How an attempt's job is started when no job has its id yet. */
    @FunctionalInterface
    interface Submit {
        Job submit(JobId id) throws Exception;
    }

    JobId jobId(String id) {
        return JobId.newBuilder().setJob(id).setLocation(location).build();
    }

    /**
     * Runs the job of the first attempt that succeeds and whose result is {@code usable}.
     *
     * @param idOfAttempt the job id of attempt {@code n}
     * @param usable whether a succeeded job's result is still there (e.g. its staging table did not expire)
     * @param what what the job does, for messages
     */
    Job run(IntFunction<String> idOfAttempt, Submit submit, Predicate<Job> usable, String what) throws Exception {
        int transientFailures = 0;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            JobId id = jobId(idOfAttempt.apply(attempt));
            Job job = call(what, () -> bigquery.getJob(id));
            boolean earlier = job != null;
            if (job == null) {
                try {
                    job = call(what, () -> submit.submit(id));
                } catch (BigQueryException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    job = call(what, () -> bigquery.getJob(id));
                    if (job == null) {
                        throw e;
                    }
                    earlier = true;
                    LOG.info(
                            "{}: job {} exists already (submitted by an earlier or concurrent try); using it",
                            what,
                            id.getJob());
                }
            } else {
                LOG.info("{}: job {} exists already (submitted by an earlier try); using it", what, id.getJob());
            }
            Job submitted = job;
            Job done = call(what, () -> waitFor(submitted, id));
            BigQueryError error = done.getStatus().getError();
            if (error == null) {
                if (usable.test(done)) {
                    return done;
                }
                LOG.info(
                        "{}: job {} succeeded earlier but what it made is gone; running attempt {}",
                        what,
                        id.getJob(),
                        attempt + 1);
                continue;
            }
            if (earlier) {
                LOG.info(
                        "{}: job {} of an earlier try failed ({}); running attempt {}",
                        what,
                        id.getJob(),
                        error.getMessage(),
                        attempt + 1);
                continue;
            }
            if (isTransient(done.getStatus()) && transientFailures++ < TRANSIENT_RETRIES) {
                LOG.warn(
                        "{}: job {} failed with a transient error ({}); retrying as attempt {}",
                        what,
                        id.getJob(),
                        error.getMessage(),
                        attempt + 1);
                Thread.sleep(pollDelay.multipliedBy(1L << transientFailures).toMillis());
                continue;
            }
            throw new IllegalStateException(
                    what + " failed (BigQuery job " + id.getJob() + "): " + describe(done.getStatus()));
        }
        throw new IllegalStateException(what + ": " + MAX_ATTEMPTS + " jobs of this batch failed already (ids "
                + idOfAttempt.apply(0) + " …); see their errors in BigQuery's job history");
    }

    /** Runs a query (DDL, a read) under a random job id, and waits for it; throws if it fails. */
    Job query(QueryJobConfiguration query, String what) throws Exception {
        JobId id = jobId("eltcdc_" + UUID.randomUUID().toString().replace("-", ""));
        Job job = call(what, () -> createOrAdopt(JobInfo.of(id, query)));
        Job done = call(what, () -> waitFor(job, id));
        if (done.getStatus().getError() != null) {
            throw new IllegalStateException(
                    what + " failed (BigQuery job " + id.getJob() + "): " + describe(done.getStatus()));
        }
        return done;
    }

    /** Creates a job; one whose id exists already (an insert retried after its answer was lost) is fetched. */
    private Job createOrAdopt(JobInfo info) {
        try {
            return bigquery.create(info);
        } catch (BigQueryException e) {
            Job existing = e.getCode() == 409 ? bigquery.getJob(info.getJobId()) : null;
            if (existing == null) {
                throw e;
            }
            return existing;
        }
    }

    private Job waitFor(Job job, JobId id) throws InterruptedException {
        // A job adopted by the client on "already exists" carries its statistics only: read it whole.
        Job current = job.getConfiguration() == null || job.getStatus() == null ? bigquery.getJob(id) : job;
        if (current == null) {
            throw new IllegalStateException("BigQuery job " + id.getJob() + " vanished while waiting for it");
        }
        if (!isDone(current)) {
            try {
                current.waitFor(
                        RetryOption.initialRetryDelayDuration(pollDelay),
                        RetryOption.maxRetryDelayDuration(pollDelay.multipliedBy(20)));
            } catch (BigQueryException e) {
                // waitFor throws for a job that failed, too: the job read below says which it was.
                Job failed = bigquery.getJob(id);
                if (failed == null || !isDone(failed)) {
                    throw e;
                }
            }
            current = bigquery.getJob(id); // as it finished, with its error and statistics
        }
        if (current == null || !isDone(current)) {
            throw new IllegalStateException("BigQuery job " + id.getJob() + " did not finish: "
                    + (current == null ? "it vanished" : current.getStatus()));
        }
        return current;
    }

    private static boolean isDone(Job job) {
        return job.getStatus() != null && job.getStatus().getState() == JobStatus.State.DONE;
    }

    static boolean isTransient(JobStatus status) {
        BigQueryError error = status.getError();
        if (error == null) {
            return false;
        }
        String message = error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
        return TRANSIENT_REASONS.contains(error.getReason())
                || message.contains("concurrent update")
                || message.contains("could not serialize access");
    }

    /** The job's error and the distinct execution errors, e.g. the row and column a load refused. */
    static String describe(JobStatus status) {
        StringBuilder out = new StringBuilder(String.valueOf(status.getError().getMessage()));
        if (status.getError().getReason() != null) {
            out.append(" [").append(status.getError().getReason()).append(']');
        }
        List<BigQueryError> errors = status.getExecutionErrors();
        if (errors != null) {
            errors.stream()
                    .map(BigQueryError::getMessage)
                    .distinct()
                    .limit(5)
                    .filter(m -> m != null && !m.equals(status.getError().getMessage()))
                    .forEach(m -> out.append("; ").append(m));
        }
        return out.toString();
    }
}
