package io.eltcdc.destination.sql;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.SchemaVersionGroups;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load protocol of DuckDB and PostgreSQL, on a connection the destination provides:
 * <ol>
 *   <li>skip the batch if the ledger has it;
 *   <li>read the files' headers; create or widen the target table (committed on its own);
 *   <li>in the {@link LedgeredTransaction} every JDBC destination uses: per part, stage every
 *       record in a temporary table and merge (keyed tables: winners per key, deletes, upserts;
 *       tables without key: append); the purge of tombstones when the batch completes the table's
 *       snapshot ({@link MergeRules#purgesTombstones}); then the ledger row.
 * </ol>
 * The delete mode of each part is the batch's ({@link MergeRules#deleteModeOf}): a hard-delete table
 * whose snapshot is incomplete keeps tombstones, and gets {@code _elt_deleted} for them.
 * A second delivery of a batch finds the ledger row and changes nothing. Snowflake and Redshift
 * stage differently (COPY from S3) and share the transaction.
 */
public final class JdbcLoader {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcLoader.class);

    private final String destination;
    private final SqlDialect dialect;
    private final BatchStager stager;
    private final TableMerge merge;
    private final String schemaOverride;
    private final String secret;
    private final TargetTableDdl ddl;
    private final DeleteMode deleteMode;

    /**
     * @param destination how messages name the destination (never with a password)
     * @param schemaOverride the schema of every target table, or null for the source's schema
     * @param secret a password to keep out of error messages, or null
     */
    public JdbcLoader(
            String destination,
            SqlDialect dialect,
            BatchStager stager,
            TableMerge merge,
            String schemaOverride,
            String secret) {
        this(destination, dialect, stager, merge, schemaOverride, secret, DeleteMode.HARD);
    }

    /** @param deleteMode what a DELETE does to the target row */
    public JdbcLoader(
            String destination,
            SqlDialect dialect,
            BatchStager stager,
            TableMerge merge,
            String schemaOverride,
            String secret,
            DeleteMode deleteMode) {
        this.deleteMode = Objects.requireNonNull(deleteMode, "deleteMode");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.stager = Objects.requireNonNull(stager, "stager");
        this.merge = Objects.requireNonNull(merge, "merge");
        this.schemaOverride = schemaOverride;
        this.secret = secret;
        this.ddl = new TargetTableDdl(dialect, deleteMode);
    }

    /** The target table of {@code batch}, as messages name it. */
    public TargetTable targetOf(LoadBatch batch) {
        return TargetTable.of(null, batch.table(), schemaOverride);
    }

    /** Creates the target table of {@code table} over {@code c} where it is missing; adds missing columns. */
    public void createTable(Connection c, TableSchema table) throws SQLException {
        c.setAutoCommit(true);
        TargetTable target = TargetTable.of(dialect.catalog(c), table.id(), schemaOverride);
        ddl.ensure(c, target, BatchColumns.of(table.id(), List.of(table)));
    }

    /** Loads {@code batch} over {@code c}; on failure the transaction is rolled back and a {@link LoadException} thrown. */
    public LoadResult load(Connection c, LoadBatch batch) throws LoadException {
        TargetTable target = targetOf(batch);
        List<StagedFileReader> files = new ArrayList<>(batch.files().size());
        try {
            c.setAutoCommit(true);
            String catalog = dialect.catalog(c);
            target = TargetTable.of(catalog, batch.table(), schemaOverride);
            LoadLedger ledger = new LoadLedger(catalog, dialect.loadTime());
            ledger.ensureExists(c);
            if (ledger.contains(c, batch, target)) {
                return LoadResult.alreadyLoaded();
            }
            if (batch.replacesTable()) {
                // Not in the ledger: a crash after the drop and before the commit drops again on retry.
                LOG.info("{}: re-synced in full; the target table is replaced", target);
                JdbcStatements.execute(c, "DROP TABLE IF EXISTS " + target.sql());
            }
            for (StagedFile file : batch.files()) {
                files.add(StagedFileReader.open(file));
            }
            List<StagedFileReader> withSchema =
                    files.stream().filter(f -> f.schema() != null).toList();
            StagedFileReader.renameColumnsAcross(withSchema);
            List<BatchPart> parts = new ArrayList<>();
            List<String> targetColumns = List.of();
            for (List<StagedFileReader> group : SchemaVersionGroups.of(withSchema)) {
                BatchColumns columns = BatchColumns.of(
                        batch.table(),
                        group.stream().map(StagedFileReader::schema).toList());
                DeleteMode mode = MergeRules.deleteModeOf(deleteMode, batch, columns.hasKey());
                MergeSql sql = new MergeSql(dialect, target, columns, mode);
                targetColumns = new TargetTableDdl(dialect, mode).ensure(c, target, columns);
                parts.add(new BatchPart(sql, group));
            }
            if (parts.isEmpty()) { // a batch without rows may still complete the snapshot
                targetColumns = ddl.columnsOf(c, target);
            }
            boolean hasDeleted = targetColumns.contains(MetadataColumns.DELETED);
            parts.replaceAll(p -> new BatchPart(p.sql().withDeletedColumn(hasDeleted), p.files()));
            String purge = MergeRules.purgesTombstones(deleteMode, batch, hasDeleted)
                    ? MergeRules.purgeTombstones(MergeRules.commaSeparated(dialect::identifier), target.sql())
                    : null;
            return inTransaction(c, batch, target, ledger, parts, targetColumns, purge);
        } catch (Exception e) {
            throw new LoadException(batch, target, destination, e, secret);
        } finally {
            for (StagedFileReader file : files) {
                JdbcCleanup.closeQuietly(file);
            }
        }
    }

    /**
     * The files of a batch that load together: all of them, or, when a column's type changed between
     * the table's schema versions within the batch, the files of each version, merged one after the
     * other in the batch's transaction, oldest first ({@link SchemaVersionGroups}).
     */
    private record BatchPart(MergeSql sql, List<StagedFileReader> files) {}

    private LoadResult inTransaction(
            Connection c,
            LoadBatch batch,
            TargetTable target,
            LoadLedger ledger,
            List<BatchPart> parts,
            List<String> targetColumns,
            String purge)
            throws Exception {
        List<LedgeredTransaction.Part> steps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            boolean first = i == 0;
            BatchPart part = parts.get(i);
            steps.add(tx -> loadPart(tx, target, part, first, targetColumns));
        }
        if (purge != null) { // the table's snapshot is complete: its tombstones go, with the merge
            steps.add(tx -> new LedgeredTransaction.Counts(0, JdbcStatements.update(tx, purge)));
        }
        return LedgeredTransaction.run(c, LedgeredTransaction.JDBC, ledger, batch, target, steps);
    }

    /** Stages one part's files in the session-temporary tables and merges them. */
    private LedgeredTransaction.Counts loadPart(
            Connection c, TargetTable target, BatchPart part, boolean first, List<String> targetColumns)
            throws Exception {
        MergeSql sql = part.sql();
        if (!first) { // the previous part's temporary tables
            for (String drop : sql.dropTemporaryTables()) {
                JdbcStatements.execute(c, drop);
            }
        }
        long started = System.nanoTime();
        JdbcStatements.execute(c, sql.createStage());
        StagedRows stagedRows = stager.stage(c, sql, part.files());
        long stagedAt = System.nanoTime();
        long merged = 0;
        if (stagedRows.rows() > 0) {
            merged = sql.batch().hasKey()
                    ? merge.merge(c, sql, stagedRows, targetColumns)
                    : JdbcStatements.update(c, sql.append());
        }
        LOG.debug(
                "{}: staged {} rows in {} ms, merged {} in {} ms",
                target,
                stagedRows.rows(),
                (stagedAt - started) / 1_000_000,
                merged,
                (System.nanoTime() - stagedAt) / 1_000_000);
        return new LedgeredTransaction.Counts(stagedRows.rows(), merged);
    }
}
