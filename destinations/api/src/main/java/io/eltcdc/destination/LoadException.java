package io.eltcdc.destination;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A batch that could not be loaded. The message names the source table, the batch, the
 * destination and target table, and the cause (the chain of causes' messages); it never holds a
 * password.
 */
public final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public LoadException(LoadBatch batch, TargetTable target, String destination, Throwable cause, String secret) {
        super(
                scrub(
                        "loading batch " + batch.batchId() + " of table " + batch.table() + " (pipeline "
                                + batch.pipeline() + ", " + batch.files().size() + " file"
                                + (batch.files().size() == 1 ? "" : "s")
                                + ") into " + destination + (target == null ? "" : ", target " + target.sql())
                                + " failed: "
                                + describe(cause),
                        secret),
                cause);
    }

    /**
     * Whether the batch failed because the source changed a column's type in a way the destination
     * cannot follow ({@link SchemaChangeRefusedException}): a failure of this table only, which
     * loading it again would not cure.
     */
    public boolean refusesSchemaChange() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SchemaChangeRefusedException) {
                return true;
            }
        }
        return false;
    }

    /** The messages along the cause chain (and SQL "next exceptions"), each once. */
    public static String describe(Throwable cause) {
        Set<Throwable> chain = new LinkedHashSet<>();
        for (Throwable t = cause; t != null && chain.size() < 8 && chain.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                chain.add(sql.getNextException());
            }
        }
        // A wrapper's message usually repeats its cause's: keep only messages no earlier one contains.
        StringBuilder out = new StringBuilder();
        for (Throwable t : chain) {
            String message = t.getMessage() == null || t.getMessage().isBlank()
                    ? t.getClass().getName()
                    : t.getMessage();
            if (out.indexOf(message) >= 0) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "; caused by: ").append(message);
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                out.append(" [SQLState ").append(sql.getSQLState()).append(']');
            }
        }
        return out.toString();
    }

    /** {@code message} with {@code secret} (a password) masked. */
    public static String scrub(String message, String secret) {
        return secret == null || secret.isEmpty() ? message : message.replace(secret, "******");
    }
}
