package io.eltcdc.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells a failed connection that TLS is behind apart from other failures, and says so in one line
 * that names the {@code tls} block (or its key) and what failed: the server refused a connection
 * without TLS, does not offer TLS, presented a certificate the CA did not sign or one for another
 * host, or refused the client certificate. Works on the messages of the exception chain, so it
 * needs no driver: pgjdbc, MySQL Connector/J and the JDK's TLS each say these things in their own
 * words, all matched here.
 */
public final class TlsFailures {
    private TlsFailures() {}

    /**
     * The one-line message for {@code failure}, or null when it is not about TLS.
     *
     * @param tls the connection's block; null when the pipeline has none
     * @param path the block's key ({@code source.tls}), used also when {@code tls} is null
     * @param user the user that connected
     * @param host the host connected to
     */
    public static String describe(Throwable failure, TlsSettings tls, String path, String user, String host) {
        String all = messages(failure);
        String mode =
                tls == null ? "no " + path + " block" : "mode: " + tls.mode().text();
        if (all.contains("no encryption")
                && (all.contains("pg_hba.conf rejects") || all.contains("no pg_hba.conf entry"))) {
            return path + ": the server refused a non-TLS connection for user " + user + " (" + mode + "); set " + path
                    + ".mode: require or stronger";
        }
        if (tls != null && tls.mode() == TlsSettings.Mode.DISABLE && all.contains("access denied for user")) {
            return path + ": the server refused user " + user + " without TLS (" + mode + "): access denied; if the"
                    + " account requires TLS (REQUIRE SSL), set " + path + ".mode: require or stronger, else check"
                    + " the user and password";
        }
        if (all.contains("does not support ssl")
                || all.contains("doesn't support ssl")
                || all.contains("server does not support tls")
                || all.contains("ssl is required but the server doesn't support it")) {
            return path + ": the server at " + host + " does not offer TLS (" + mode + "); turn TLS on in the server"
                    + " or set " + path + ".mode: disable";
        }
        if (all.contains("could not be verified by hostnameverifier")
                || all.contains("no subject alternative")
                || all.contains("no name matching")
                || all.contains("server identity verification failed")
                || all.contains("doesn't match any of the subject alternative names")
                || all.contains("hostname in certificate didn't match")) {
            return path + ": host name mismatch: the server's certificate does not name " + host
                    + " (use mode verify-ca or connect by a name in the certificate)";
        }
        if (all.contains("pkix path")
                || all.contains("unable to find valid certification path")
                || all.contains("certpathvalidatorexception")
                || all.contains("signature check failed")
                || all.contains("trust anchor for certification path not found")
                || all.contains("unknown_ca")
                || all.contains("unknown ca")) {
            return tls != null && tls.caFile() != null
                    ? path + ".ca-file: the server's certificate is not signed by " + tls.caFile() + " (" + host
                            + "); give the CA that signed it"
                    : path + ": the server's certificate is not trusted (" + host + "); give its CA as " + path
                            + ".ca-file";
        }
        if (all.contains("certificate authentication failed")
                || all.contains("requires a valid client certificate")
                || all.contains("bad_certificate")
                || all.contains("bad certificate")) {
            return path + ".cert-file: the server did not accept the client certificate for user " + user
                    + (tls != null && tls.certFile() != null ? " (" + tls.certFile() + ")" : " (none given)")
                    + "; its CN must be the user, signed by a CA the server trusts";
        }
        if (hasHandshakeFailure(failure)) {
            return path + ": the TLS handshake with " + host + " failed (" + mode + "): " + firstLine(deepest(failure));
        }
        return null;
    }

    private static boolean hasHandshakeFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (name.startsWith("javax.net.ssl.")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static Throwable deepest(Throwable t) {
        Throwable d = t;
        while (d.getCause() != null && d.getCause() != d) {
            d = d.getCause();
        }
        return d;
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String messages(Throwable t) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            parts.add(c.getClass().getName() + ": " + c.getMessage());
            for (Throwable s : c.getSuppressed()) {
                parts.add(s.getClass().getName() + ": " + s.getMessage());
            }
        }
        return String.join(" | ", parts).toLowerCase(Locale.ROOT);
    }
}
