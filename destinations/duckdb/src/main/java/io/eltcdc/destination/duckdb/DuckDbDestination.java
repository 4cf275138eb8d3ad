package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.sql.JdbcLoader;
import io.eltcdc.destination.sql.JdbcTableChecksums;
import io.eltcdc.model.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * Loads batches into a DuckDB database file.
 *
 * <p>The file is open only while a batch loads: DuckDB allows one writing process, and users
 * query the file between loads. Rows are staged with the Appender and merged by joins; the
 * ledger row is written in the merge's transaction. DuckDB works with one thread unless a batch
 * is large ({@link DuckDbThreads}).
 */
public final class DuckDbDestination implements Destination {
    private final String databaseFile;
    private final String schemaOverride;
    private final DeleteMode deleteMode;
    private Boolean jsonType;

    /**
     * A destination of hard-delete mode.
     *
     * @param databaseFile the DuckDB file (created with its folders when missing)
     * @param schemaOverride the schema of every target table, or null to use each source table's schema
     */
    public DuckDbDestination(String databaseFile, String schemaOverride) {
        this(databaseFile, schemaOverride, DeleteMode.HARD);
    }

    /**
     * @param databaseFile the DuckDB file (created with its folders when missing)
     * @param schemaOverride the schema of every target table, or null to use each source table's schema
     * @param deleteMode what a DELETE does to the target row
     */
    public DuckDbDestination(String databaseFile, String schemaOverride, DeleteMode deleteMode) {
        this.databaseFile = Objects.requireNonNull(databaseFile, "databaseFile");
        this.schemaOverride = schemaOverride;
        this.deleteMode = Objects.requireNonNull(deleteMode, "deleteMode");
    }

    @Override
    public synchronized void createTables(List<TableSchema> tables) throws Exception {
        try (Connection c = open()) {
            JdbcLoader loader = loader(c);
            for (TableSchema table : tables) {
                loader.createTable(c, table);
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "creating the target tables in " + name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized LoadResult load(LoadBatch batch) throws LoadException {
        Connection c;
        try {
            c = open();
        } catch (Exception e) {
            throw new LoadException(batch, null, name(), e, null);
        }
        try (c) {
            return loader(c).load(c, batch);
        } catch (LoadException e) {
            throw e;
        } catch (Exception e) { // closing the file, or the JSON check
            throw new LoadException(batch, null, name(), e, null);
        }
    }

    private JdbcLoader loader(Connection c) throws Exception {
        if (jsonType == null) {
            jsonType = DuckDbSql.hasJsonType(c);
        }
        return new JdbcLoader(
                name(),
                new DuckDbSql(jsonType),
                new DuckDbAppenderStager(),
                new DuckDbMerge(),
                schemaOverride,
                null,
                deleteMode);
    }

    private Connection open() throws Exception {
        Path parent = Path.of(databaseFile).toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // The driver directly: DriverManager does not see drivers of Flink's user-code class loader.
        Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + databaseFile, new Properties());
        if (c == null) {
            throw new IllegalStateException("the DuckDB driver did not accept " + databaseFile);
        }
        try {
            DuckDbThreads.startSingle(c);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Each question opens the file read-only and closes it after, so the pipeline's loads (which
     * wait out a file another process holds) get it between two of them.
     */
    @Override
    public Optional<TableChecksums> checksums() {
        return Optional.of(
                new JdbcTableChecksums(name(), new DuckDbSql(false), this::openReadOnly, schemaOverride, null));
    }

    private Connection openReadOnly() throws Exception {
        if (!Files.exists(Path.of(databaseFile))) {
            throw new IllegalStateException("the DuckDB file " + databaseFile + " does not exist (destination.path)");
        }
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + databaseFile, properties);
        if (c == null) {
            throw new IllegalStateException("the DuckDB driver did not accept " + databaseFile);
        }
        return c;
    }

    @Override
    public boolean supportsReplacingTables() {
        return true;
    }

    @Override
    public boolean supportsTombstones() {
        return true;
    }

    /** Nothing is held between loads. */
    @Override
    public void close() {}

    private String name() {
        return "DuckDB " + databaseFile;
    }

    @Override
    public String toString() {
        return "DuckDbDestination[" + databaseFile + (schemaOverride == null ? "" : ", schema " + schemaOverride)
                + (deleteMode == DeleteMode.HARD ? "" : ", " + deleteMode.configName() + " deletes") + "]";
    }
}
