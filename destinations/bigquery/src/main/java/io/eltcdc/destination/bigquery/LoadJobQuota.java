package io.eltcdc.destination.bigquery;

import io.eltcdc.destination.DestinationCheckException;
import java.time.Duration;
import java.util.Locale;

/**
 * BigQuery's daily quota of load jobs per project, against how often a pipeline loads its tables:
 * a pipeline whose tables would need more load jobs a day than the project may run is refused
 * before it starts, with a {@code destination.load-interval} that fits, instead of failing with
 * {@code quotaExceeded} part way through a day.
 *
 * <ul>
 *   <li>Each load of a table is one load job (a batch of one part, the usual case), so N tables
 *       loaded every I seconds run up to N × ⌈86,400 / I⌉ load jobs a day, which must stay within
 *       {@value #LOAD_JOBS_PER_PROJECT_PER_DAY} (BigQuery's "load jobs per project per day").
 *       Failed jobs, retries and a batch split by a type change count too: the check is the
 *       bound, not a margin.
 *   <li>The per-table limit (1,500 load jobs per table and day) is never reached: each batch loads
 *       a staging table of its own, once. The merge into the target table is DML, which counts
 *       against neither limit.
 * </ul>
 */
final class LoadJobQuota {
    /** BigQuery's quota of load jobs per project and day (including failed ones). */
    static final long LOAD_JOBS_PER_PROJECT_PER_DAY = 100_000;

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private LoadJobQuota() {}

    /** The most load jobs a day of {@code tables} tables, each loaded at most once per {@code interval}. */
    static long loadJobsPerDay(int tables, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a load interval must be positive, got " + interval);
        }
        long loadsPerTable = ceilDiv(DAY_MILLIS, Math.max(1, interval.toMillis()));
        return tables * loadsPerTable;
    }

    /**
     * @throws DestinationCheckException when {@code tables} tables loaded every {@code interval}
     *     need more load jobs a day than a project may run, naming a load interval that fits
     */
    static void check(int tables, Duration interval) throws DestinationCheckException {
        long jobs = loadJobsPerDay(tables, interval);
        if (jobs <= LOAD_JOBS_PER_PROJECT_PER_DAY) {
            return;
        }
        String needs = "loading " + tables + " tables as often as every " + format(interval) + " takes up to "
                + String.format(Locale.ROOT, "%,d", jobs) + " BigQuery load jobs a day (one per table and load),"
                + " and a project may run "
                + String.format(Locale.ROOT, "%,d", LOAD_JOBS_PER_PROJECT_PER_DAY)
                + " a day, failed ones included";
        if (tables > LOAD_JOBS_PER_PROJECT_PER_DAY) {
            throw new DestinationCheckException("destination.load-interval: " + needs
                    + "; no load interval fits so many tables: split them between pipelines that load into"
                    + " different projects");
        }
        throw new DestinationCheckException("destination.load-interval: " + needs + "; set destination.load-interval"
                + " to at least " + format(shortestInterval(tables))
                + " (or split the tables between pipelines that load into different projects)");
    }

    /** The shortest load interval, in whole minutes, at which {@code tables} tables stay within the quota. */
    static Duration shortestInterval(int tables) {
        long loadsPerTable = LOAD_JOBS_PER_PROJECT_PER_DAY / tables;
        long millis = ceilDiv(DAY_MILLIS, loadsPerTable);
        return Duration.ofMinutes(ceilDiv(millis, Duration.ofMinutes(1).toMillis()));
    }

    /** {@code a / b} rounded up, for positive numbers (Java 17 has no {@code Math.ceilDiv}). */
    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** As {@code load-interval} takes it: {@code 6min}, {@code 2h}, {@code 90s}, {@code 500ms}. */
    static String format(Duration interval) {
        long millis = interval.toMillis();
        if (millis % Duration.ofHours(1).toMillis() == 0) {
            return interval.toHours() + "h";
        }
        if (millis % Duration.ofMinutes(1).toMillis() == 0) {
            return interval.toMinutes() + "min";
        }
        if (millis % 1000 == 0) {
            return interval.toSeconds() + "s";
        }
        return millis + "ms";
    }
}
