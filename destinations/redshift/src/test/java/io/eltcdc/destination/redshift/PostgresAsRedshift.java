package io.eltcdc.destination.redshift;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.sql.JdbcTableChecksums;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The Redshift load ({@link RedshiftLoader}, its DDL and statements) on PostgreSQL: COPY replaced
 * by {@link InsertLoadFiles}, Redshift-only spellings by {@link RedshiftSpelling}. Load files go to
 * a local folder.
 */
final class PostgresAsRedshift implements Destination {
    static final String NAME = "Redshift SQL on PostgreSQL";

    /** Opens the connection the loader is given (a new one after {@link #close()}). */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final String schemaOverride;
    private final RedshiftLoader loader;
    private Connection connection;

    PostgresAsRedshift(
            String url, String loadRoot, String schemaOverride, DeleteMode deleteMode, LongStrings longStrings) {
        this(() -> spelled(url), loadRoot, schemaOverride, deleteMode, longStrings, new ConflictRetry());
    }

    PostgresAsRedshift(
            Opener opener,
            String loadRoot,
            String schemaOverride,
            DeleteMode deleteMode,
            LongStrings longStrings,
            ConflictRetry retry) {
        this.opener = opener;
        this.schemaOverride = schemaOverride;
        this.loader = new RedshiftLoader(
                NAME,
                new InsertLoadFiles(),
                new FlinkLoadFileStore(),
                loadRoot,
                schemaOverride,
                deleteMode,
                longStrings,
                null,
                retry);
    }

    /** A connection to the database of {@code url} that takes Redshift's SQL. */
    static Connection spelled(String url) throws SQLException {
        return RedshiftSpelling.onPostgres(TestPostgres.connect(url));
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = opener.open();
        }
        return connection;
    }

    @Override
    public void createTables(List<TableSchema> tables) throws Exception {
        for (TableSchema table : tables) {
            loader.createTable(connection(), table);
        }
    }

    @Override
    public LoadResult load(LoadBatch batch) throws Exception {
        return loader.load(connection(), batch);
    }

    /** As {@link RedshiftDestination}: the loader is the same. */
    @Override
    public boolean supportsTombstones() {
        return true;
    }

    /**
     * Verify's questions in Redshift's SQL, each on a new connection (the database needs
     * {@link RedshiftSpelling#createStandIns}).
     */
    @Override
    public Optional<TableChecksums> checksums() {
        return Optional.of(
                new JdbcTableChecksums(NAME, new RedshiftChecksumSql.Dialect(), opener::open, schemaOverride, null));
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
