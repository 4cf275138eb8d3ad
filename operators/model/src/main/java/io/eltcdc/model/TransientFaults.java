package io.eltcdc.model;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Which failures of a database call are worth waiting out: the server (a destination, a source) was
 * unreachable, restarting, busy or locked, and the same call can succeed later; and which need a person: a refused login, a missing
 * table or privilege, a value the destination rejects — no retry or restart helps those. What is
 * neither is left to the job's restarts.
 *
 * <ul>
 *   <li>The cause chain is searched; the first cause that says either way decides.
 *   <li>SQLSTATE classes 08 (connection), 53 (insufficient resources: memory, connections),
 *       57P01–57P03 (the server shuts down, crashed, or is starting), 40001 and 40P01 (serialization
 *       failure, deadlock) and 55P03 (lock not available) are transient; 28 (authorization), 3D (no
 *       such database), 42 (syntax, missing object or privilege), 22 and 23 (data) and 53100 (disk
 *       full) need a person.
 *   <li>{@link SQLTransientException} and {@link SQLRecoverableException}: the driver says so.
 *   <li>A refused, reset, timed-out or unroutable network connection, and a host name that does not
 *       resolve (DNS blips): transient.
 *   <li>DuckDB's "Could not set lock on file": another process has the database file open (a query
 *       tool); its message names that process.
 *   <li>A certificate refused in the TLS handshake (not trusted, another host's) needs a person,
 *       whatever SQLSTATE the driver reports it with.
 *   <li>Servers without SQLSTATEs (warehouses' HTTP APIs): their destination says which is which by
 *       wrapping the failure in {@link Unavailable} or {@link NeedsAPerson}.
 * </ul>
 */
public final class TransientFaults {
    private static final List<String> TRANSIENT_STATES = List.of("57P01", "57P02", "57P03", "40001", "40P01", "55P03");
    private static final List<String> TRANSIENT_CLASSES = List.of("08", "53");
    private static final List<String> PERMANENT_STATES = List.of("53100");
    private static final List<String> PERMANENT_CLASSES = List.of("28", "3D", "42", "22", "23");
    private static final String DUCKDB_FILE_LOCK = "Could not set lock on file";

    private TransientFaults() {}

    /**
     * A server that speaks no SQLSTATE (a warehouse's HTTP API) said it is unavailable for now (5xx,
     * throttling): a destination wraps such a failure in this, and it is waited out.
     */
    public static final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A server that speaks no SQLSTATE refused what only a person can fix (a permission, a missing
     * dataset): a destination wraps such a failure in this, with what to fix, and it is not retried.
     */
    public static final class NeedsAPerson extends IOException {
        private static final long serialVersionUID = 1L;
        private final String whatToFix;

        /** @param whatToFix what to change, naming the pipeline file's keys where one is at fault */
        public NeedsAPerson(String message, String whatToFix, Throwable cause) {
            super(message, cause);
            this.whatToFix = whatToFix;
        }
    }

    /** Whether the load that failed with {@code failure} may succeed if tried again later. */
    public static boolean isTransient(Throwable failure) {
        return transientCause(failure) != null;
    }

    /**
     * Whether the failure needs a person (SQLSTATE 28, 3D, 42, 22, 23 or 53100): trying again cannot
     * help.
     */
    public static boolean isPermanent(Throwable failure) {
        return whatToFix(failure, "destination").isPresent();
    }

    /**
     * What a person must fix for a failure that {@link #isPermanent needs one}, naming the keys of
     * the pipeline file's {@code section} ({@code source} or {@code destination}) where one is at
     * fault; empty for the others.
     */
    public static Optional<String> whatToFix(Throwable failure, String section) {
        if (certificateRefused(failure)) {
            return Optional.of("the " + section + "'s TLS certificate is not trusted, names another host, or"
                    + " refused ours: check " + section + ".tls (its ca-file, cert-file and key-file)");
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Boolean verdict = verdict(t);
            if (verdict != null) {
                if (verdict) {
                    return Optional.empty();
                }
                return Optional.of(
                        t instanceof NeedsAPerson refused
                                ? refused.whatToFix
                                : advice(((SQLException) t).getSQLState(), section));
            }
        }
        return Optional.empty();
    }

    private static String advice(String state, String section) {
        if (state.equals("53100")) {
            return "the " + section + "'s disk is full: free space on it, then run the pipeline again";
        }
        if (state.equals("42501")) {
            return "the " + section + " user (" + section + ".username) lacks a privilege: grant it, or name"
                    + " another user, then run the pipeline again";
        }
        return switch (state.substring(0, 2)) {
            case "28" ->
                "the " + section + " refused the login: check " + section + ".username and " + section
                        + ".password (or the credentials the " + section + " section names)";
            case "3D" -> "the " + section + " database does not exist: check " + section + ".database";
            case "42" ->
                "a table, column or schema the pipeline needs is missing or was changed by hand in the " + section
                        + ": restore it, or re-sync the table";
            default ->
                "the " + section + " refused a value: the message names it; fix the row in the source or the"
                        + " column in the destination, then run the pipeline again";
        };
    }

    /** One line for the log: what made the failure transient, else the failure's own message. */
    public static String reason(Throwable failure) {
        Throwable cause = transientCause(failure);
        Throwable shown = cause != null ? cause : failure;
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The cause that shows the failure is transient, or null when none does (or one shows it is not). */
    private static Throwable transientCause(Throwable failure) {
        if (certificateRefused(failure)) {
            return null;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Boolean verdict = verdict(t);
            if (verdict != null) {
                return verdict ? t : null;
            }
        }
        return null;
    }

    /**
     * A TLS handshake that failed over a certificate, wherever it is in the chain: drivers report it
     * as a connection failure (SQLSTATE 08), which alone would be waited out for ever.
     */
    private static boolean certificateRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    /** True or false when {@code t} alone decides, null when its cause must. */
    private static Boolean verdict(Throwable t) {
        if (t instanceof Unavailable) {
            return true;
        }
        if (t instanceof NeedsAPerson) {
            return false;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && state.length() == 5) {
                if (PERMANENT_STATES.contains(state) || PERMANENT_CLASSES.contains(state.substring(0, 2))) {
                    return false;
                }
                if (TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, 2))) {
                    return true;
                }
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
        }
        if (t instanceof ConnectException
                || t instanceof NoRouteToHostException
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException
                || t instanceof SocketException) {
            return true;
        }
        String message = t.getMessage();
        if (message != null && message.contains(DUCKDB_FILE_LOCK)) {
            return true;
        }
        return null;
    }
}
