package io.eltcdc.destination.redshift;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How Redshift's COPY authenticates to S3 to read the load files: an IAM role attached to the
 * cluster (recommended), or an access key pair. {@link #toString()} never shows a secret, and
 * {@link #redactedSql()} is the form for messages.
 */
public sealed interface CopyCredentials extends Serializable {

    /** The COPY clause with the credentials, for the statement sent to Redshift only. */
    String sql();

    /** The COPY clause with secrets masked, for messages and logs. */
    String redactedSql();

    /** The secret texts to mask in any message (none for a role). */
    List<String> secrets();

    /** {@code IAM_ROLE 'arn:aws:iam::…:role/…'}, or {@code IAM_ROLE default} for the cluster's default role. */
    record IamRole(String arn) implements CopyCredentials {
        public IamRole {
            Objects.requireNonNull(arn, "arn");
        }

        @Override
        public String sql() {
            return "default".equalsIgnoreCase(arn.trim()) ? "IAM_ROLE default" : "IAM_ROLE " + quote(arn.trim());
        }

        @Override
        public String redactedSql() {
            return sql(); // a role ARN is not a secret
        }

        @Override
        public List<String> secrets() {
            return List.of();
        }
    }

    /** {@code ACCESS_KEY_ID '…' SECRET_ACCESS_KEY '…' [SESSION_TOKEN '…']}. */
    record AccessKeys(String accessKeyId, String secretAccessKey, String sessionToken) implements CopyCredentials {
        public AccessKeys {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String sql() {
            return "ACCESS_KEY_ID " + quote(accessKeyId) + " SECRET_ACCESS_KEY " + quote(secretAccessKey)
                    + (sessionToken == null ? "" : " SESSION_TOKEN " + quote(sessionToken));
        }

        @Override
        public String redactedSql() {
            return "ACCESS_KEY_ID " + quote(accessKeyId) + " SECRET_ACCESS_KEY '****'"
                    + (sessionToken == null ? "" : " SESSION_TOKEN '****'");
        }

        @Override
        public List<String> secrets() {
            return sessionToken == null ? List.of(secretAccessKey) : List.of(secretAccessKey, sessionToken);
        }

        @Override
        public String toString() {
            return "AccessKeys[" + accessKeyId + ", ****" + (sessionToken == null ? "" : ", session token ****") + "]";
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
