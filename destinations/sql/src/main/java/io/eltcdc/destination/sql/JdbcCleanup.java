package io.eltcdc.destination.sql;

import io.eltcdc.destination.staged.StagedFileReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clean-up after a load, which must not hide the load's own failure: a failed rollback is added
 * to it as suppressed, other clean-up failures are logged.
 */
public final class JdbcCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCleanup.class);

    private JdbcCleanup() {}

    /** Rolls back the open transaction of {@code c}, if the connection still lives. */
    public static void rollbackQuietly(Connection c, Exception failure) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Puts {@code c} back in autocommit mode, if the connection still lives. */
    public static void restoreAutoCommit(Connection c) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.debug("could not restore autocommit; the connection is likely broken", e);
        }
    }

    public static void closeQuietly(StagedFileReader file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing {} failed", file.file().path(), e);
        }
    }
}
