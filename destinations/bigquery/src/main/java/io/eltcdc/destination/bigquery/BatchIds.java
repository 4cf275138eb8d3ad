package io.eltcdc.destination.bigquery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names of one batch's BigQuery jobs and staging tables, derived from the pipeline,
 * the target table and the batch id: a retried batch (a restarted job, a redelivered committable)
 * asks for the same job ids, so BigQuery answers "already exists" instead of running a load twice,
 * and the batch adopts the job that ran.
 *
 * <p>A job id can be used once, so a job that failed cannot run again under its id: every job has
 * an attempt number, and a batch retried after a failed job moves on to the next attempt (in a
 * fixed order, so two retries of one batch still meet on the same ids).
 *
 * <p>Ids take letters, digits, {@code _} and {@code -} only: the names are a prefix and a hash
 * (SHA-256 of the parts, 32 hex digits), never the source names themselves.
 */
public final class BatchIds {
    private final String hash;

    public BatchIds(String pipeline, String dataset, String table, String batchId) {
        this.hash = hash(pipeline, dataset, table, batchId);
    }

    /** The load job of part {@code part} (a group of files with one layout), attempt {@code attempt}. */
    public String loadJob(int part, int attempt) {
        return "eltcdc_load_" + hash + "_p" + part + "_a" + attempt;
    }

    /** The job of the merge transaction, attempt {@code attempt}. */
    public String mergeJob(int attempt) {
        return "eltcdc_merge_" + hash + "_a" + attempt;
    }

    /** The staging table of part {@code part}. */
    public String stagingTable(int part) {
        return "eltcdc_" + hash + "_p" + part;
    }

    private static String hash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
