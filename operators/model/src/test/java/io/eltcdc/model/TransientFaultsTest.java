package io.eltcdc.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TransientFaultsTest {

    @Test
    void anUnreachableRestartingOrBusyServerIsWaitedOut() {
        assertThat(TransientFaults.isTransient(new SQLException("Connection to 127.0.0.1:5433 refused", "08001")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("An I/O error occurred", "08006")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("terminating connection", "57P01")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("could not obtain lock", "55P03")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("deadlock detected", "40P01")))
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLTransientConnectionException("pool exhausted")))
                .isTrue();
        assertThat(TransientFaults.isTransient(
                        new IllegalStateException("load failed", new ConnectException("Connection refused"))))
                .isTrue();
    }

    @Test
    void aDuckDbFileHeldByAnotherProcessIsWaitedOutAndNamedInTheReason() {
        SQLException held = new SQLException("IO Error: Could not set lock on file \"/data/shop.duckdb\":"
                + " Conflicting lock is held in /usr/bin/duckdb (PID 4242) by user ann.\nSee also …");
        assertThat(TransientFaults.isTransient(new IOException("load of public.orders failed", held)))
                .isTrue();
        assertThat(TransientFaults.reason(new IOException("load of public.orders failed", held)))
                .isEqualTo("IO Error: Could not set lock on file \"/data/shop.duckdb\": Conflicting lock is held"
                        + " in /usr/bin/duckdb (PID 4242) by user ann.");
    }

    @Test
    void whatNeedsAPersonIsNotWaitedOut() {
        assertThat(TransientFaults.isTransient(new SQLException("password authentication failed", "28P01")))
                .isFalse();
        assertThat(TransientFaults.isTransient(new SQLException("permission denied for schema app", "42501")))
                .isFalse();
        assertThat(TransientFaults.isTransient(new SQLException("database \"dw\" does not exist", "3D000")))
                .isFalse();
        assertThat(TransientFaults.isTransient(new SQLException("value too long", "22001")))
                .isFalse();
        assertThat(TransientFaults.isTransient(new IllegalArgumentException("bad staged file")))
                .isFalse();
        assertThat(TransientFaults.isPermanent(new SQLException("permission denied for schema app", "42501")))
                .isTrue();
        assertThat(TransientFaults.isPermanent(new IllegalArgumentException("bad staged file")))
                .as("neither: left to the job's restarts")
                .isFalse();
        assertThat(TransientFaults.isPermanent(new SQLException("refused", "08001")))
                .isFalse();
        assertThat(TransientFaults.isPermanent(new SQLException("could not extend file: No space left", "53100")))
                .as("a full disk is not waited out, although class 53 is")
                .isTrue();
        assertThat(TransientFaults.isTransient(new SQLException("too many clients already", "53300")))
                .isTrue();
        assertThat(TransientFaults.whatToFix(
                        new SQLException("password authentication failed", "28P01"), "destination"))
                .hasValueSatisfying(fix -> assertThat(fix).contains("destination.username", "destination.password"));
        assertThat(TransientFaults.whatToFix(
                        new SQLException("permission denied for schema app", "42501"), "destination"))
                .hasValueSatisfying(fix -> assertThat(fix).contains("destination.username", "grant"));
        assertThat(TransientFaults.whatToFix(new SQLException("refused", "08001"), "destination"))
                .isEmpty();
        assertThat(TransientFaults.isTransient(
                        new IOException("load failed", new TransientFaults.Unavailable("503 backendError", null))))
                .as("a warehouse's own word that it is unavailable")
                .isTrue();
        assertThat(TransientFaults.whatToFix(
                        new IOException("load failed", new TransientFaults.NeedsAPerson("403", "grant the role", null)),
                        "destination"))
                .contains("grant the role");
        SQLException untrusted = new SQLException(
                "SSL error: PKIX path building failed",
                "08006",
                new SSLHandshakeException("PKIX path building failed"));
        untrusted.getCause().initCause(new CertificateException("unable to find a valid path"));
        assertThat(TransientFaults.isTransient(untrusted))
                .as("a connection failure, but over a certificate")
                .isFalse();
        assertThat(TransientFaults.whatToFix(untrusted, "destination"))
                .hasValueSatisfying(fix -> assertThat(fix).contains("destination.tls"));
        // The first cause that says either way decides: a refused login over a reset socket is refused.
        assertThat(TransientFaults.isTransient(new SQLException(
                        "password authentication failed", "28P01", new java.net.SocketException("reset"))))
                .isFalse();
    }
}
