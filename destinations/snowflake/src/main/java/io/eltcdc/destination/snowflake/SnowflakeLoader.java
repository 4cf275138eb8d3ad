package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcCleanup;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.LedgeredTransaction;
import io.eltcdc.destination.sql.MergeRules;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snowflake load protocol, on a connection the destination provides:
 * <ol>
 *   <li>skip the batch if the ledger has it;
 *   <li>re-encode each staged file into a load file in the staging folder ({@link SnowflakeLoadFiles}:
 *       values in forms that convert exactly), learning the files' schemas from their headers;
 *       create or widen the target table;
 *   <li>stage each part: COPY the load files from the external stage into raw tables, move them
 *       into the part's staging table, and keep the latest record per key (the winners);
 *   <li>{@code BEGIN NAME …} ({@link SnowflakeLoadTransaction}: a transaction of the same name that
 *       a lost session left open is aborted first); check the ledger again; per part fill in the
 *       values winners lack, then one {@code MERGE} (deletes, updates, inserts; or an append for a
 *       table without key); delete the tombstones when the batch completes the table's snapshot
 *       ({@link MergeRules#purgesTombstones}); insert the ledger row; {@code COMMIT}.
 * </ol>
 * Steps 2 and 3 run before the transaction because Snowflake commits an open transaction at every
 * DDL statement, temporary tables included; they touch only this session's temporary tables and
 * the table's shape. A second delivery of a batch finds the ledger row and changes nothing. The
 * load files are deleted after the load, whether it succeeded or not (a retry writes them again).
 */
final class SnowflakeLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeLoader.class);
    /** The session parameters every load session sets ({@link #prepare}). */
    static final String SESSION_SETTINGS = "ALTER SESSION SET ABORT_DETACHED_QUERY = TRUE";

    private final SnowflakeStage stage;
    private final String schemaOverride;
    private final DeleteMode deleteMode;
    private final SnowflakeNames names;
    private final SnowflakeTableDdl ddl;
    private final SnowflakeLedger ledger = new SnowflakeLedger();
    private final StaleTransactions staleTransactions = new StaleTransactions();

    SnowflakeLoader(SnowflakeStage stage, String schemaOverride, DeleteMode deleteMode, SnowflakeNames names) {
        this.stage = stage;
        this.schemaOverride = schemaOverride;
        this.deleteMode = deleteMode;
        this.names = names;
        this.ddl = new SnowflakeTableDdl(deleteMode, names, schemaOverride);
    }

    TargetTable targetOf(LoadBatch batch) {
        return names.target(batch.table(), schemaOverride);
    }

    /**
     * Prepares a new session, once per connection: {@code ABORT_DETACHED_QUERY}, so that a statement
     * still running when the job loses its connection (a crash, a network failure) is aborted after
     * a few minutes instead of running on (and holding its locks) to its end; then the ledger and the
     * external stage, unless they exist.
     */
    void prepare(Connection c) throws SQLException {
        c.setAutoCommit(true);
        JdbcStatements.execute(c, SESSION_SETTINGS);
        ledger.ensureExists(c);
        try {
            JdbcStatements.execute(c, stage.createStatement());
        } catch (SQLException e) {
            // The statement holds the AWS secret key: name it redacted, and keep the secret out of the message.
            String message =
                    String.valueOf(e.getMessage()).replace(stage.createStatement(), stage.createStatementRedacted());
            if (stage.secret() != null) {
                message = message.replace(stage.secret(), "******");
            }
            throw new SQLException(
                    "creating the external stage " + stage.name() + " on " + stage.url() + " failed: " + message,
                    e.getSQLState(),
                    e.getErrorCode());
        }
    }

    /**
     * Creates (or extends) the target tables of {@code tables}.
     *
     * @throws IllegalArgumentException if two tables would load into one target table
     */
    void createTables(Connection c, List<TableSchema> tables) throws SQLException {
        names.checkDistinctTargets(tables.stream().map(TableSchema::id).toList(), schemaOverride);
        for (TableSchema table : tables) {
            ddl.ensure(
                    c,
                    names.target(table.id(), schemaOverride),
                    BatchColumns.of(table.id(), List.of(names.columnsOf(table))));
        }
    }

    LoadResult load(Connection c, LoadBatch batch) throws Exception {
        TargetTable target = targetOf(batch);
        if (ledger.contains(c, batch, target)) {
            return LoadResult.alreadyLoaded();
        }
        String folder = SnowflakeLoadFiles.folderOf(batch.pipeline(), target, batch.batchId());
        try {
            List<SnowflakeBatchPlan.FileOfVersion> files = writeLoadFiles(batch, folder);
            List<SnowflakeBatchPart> parts = SnowflakeBatchPlan.of(batch, target, deleteMode, names, files);
            List<String> targetColumns = List.of();
            for (SnowflakeBatchPart part : parts) { // in the part's delete mode: tombstones need _elt_deleted
                targetColumns = new SnowflakeTableDdl(part.sql().deleteMode(), names, schemaOverride)
                        .ensure(c, target, part.batch());
            }
            if (parts.isEmpty()) { // a batch without rows may still complete the snapshot
                targetColumns =
                        new ArrayList<>(SnowflakeTableDdl.columnsOf(c, target).keySet());
            }
            boolean hasDeleted = targetColumns.contains(names.identifier(MetadataColumns.DELETED));
            parts.replaceAll(p -> p.withDeletedColumn(hasDeleted));
            String purge =
                    MergeRules.purgesTombstones(deleteMode, batch, hasDeleted) ? purgeTombstones(names, target) : null;
            try {
                List<StagedRows> staged = new ArrayList<>();
                for (SnowflakeBatchPart part : parts) {
                    staged.add(stage(c, part));
                }
                return inTransaction(c, batch, target, parts, staged, targetColumns, purge);
            } finally {
                for (SnowflakeBatchPart part : parts) {
                    dropQuietly(c, part);
                }
            }
        } finally {
            deleteQuietly(stage.url() + folder);
        }
    }

    /** Deletes the tombstones of {@code target} ({@link MergeRules#purgeTombstones}, in Snowflake's names). */
    static String purgeTombstones(SnowflakeNames names, TargetTable target) {
        return MergeRules.purgeTombstones(MergeRules.commaSeparated(names::identifier), target.sql());
    }

    /**
     * Writes the batch's load files into {@code folder} (relative to the stage), one per staged file
     * with a header (zero-byte files have none and hold no rows), and returns them with their
     * schemas: the columns the source renamed under their new names in every file of the batch, all
     * named as the target's columns ({@link SnowflakeNames}).
     */
    private List<SnowflakeBatchPlan.FileOfVersion> writeLoadFiles(LoadBatch batch, String folder) throws IOException {
        List<StagedFileReader> readers = new ArrayList<>();
        try {
            List<TableSchema> written = new ArrayList<>();
            for (StagedFile file : batch.files()) {
                StagedFileReader reader = StagedFileReader.open(file);
                readers.add(reader);
                written.add(reader.schema());
            }
            StagedFileReader.renameColumnsAcross(readers);
            List<SnowflakeBatchPlan.FileOfVersion> files = new ArrayList<>();
            for (int i = 0; i < readers.size(); i++) {
                if (written.get(i) != null) {
                    String loadFile = folder + String.format("part-%05d.avro", files.size());
                    // read ahead before the rows are copied: the order of a batch's parts needs it
                    Position first = readers.get(i).firstPosition();
                    SnowflakeLoadFiles.write(readers.get(i), written.get(i), stage.url() + loadFile);
                    files.add(new SnowflakeBatchPlan.FileOfVersion(
                            names.columnsOf(readers.get(i).schema()), written.get(i), loadFile, first));
                }
            }
            return files;
        } finally {
            for (StagedFileReader reader : readers) {
                JdbcCleanup.closeQuietly(reader);
            }
        }
    }

    /** The load files are rewritten by a retry; deleting them is tidiness, not correctness. */
    private static void deleteQuietly(String folder) {
        try {
            SnowflakeLoadFiles.deleteFolder(folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete the load files in {} (a retry overwrites them; they may be deleted)", folder, e);
        }
    }

    /** Fills the part's staging table and, for a keyed table, its winners table (autocommit). */
    private StagedRows stage(Connection c, SnowflakeBatchPart part) throws SQLException {
        long started = System.nanoTime();
        for (String statement : part.stagingStatements(stage)) {
            JdbcStatements.execute(c, statement);
        }
        StagedRows staged = part.summarize(c);
        if (staged.rows() > 0 && part.batch().hasKey()) {
            JdbcStatements.execute(c, part.sql().createWinners());
        }
        LOG.debug(
                "{}: staged {} rows in {} ms",
                part.sql().target(),
                staged.rows(),
                (System.nanoTime() - started) / 1_000_000);
        return staged;
    }

    private LoadResult inTransaction(
            Connection c,
            LoadBatch batch,
            TargetTable target,
            List<SnowflakeBatchPart> parts,
            List<StagedRows> staged,
            List<String> targetColumns,
            String purge)
            throws Exception {
        List<LedgeredTransaction.Part> steps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            MergeSql sql = parts.get(i).sql();
            StagedRows rows = staged.get(i);
            steps.add(tx -> new LedgeredTransaction.Counts(
                    rows.rows(), rows.rows() > 0 ? merge(tx, sql, rows, targetColumns) : 0));
        }
        if (purge != null) { // the table's snapshot is complete: its tombstones go, with the merge
            steps.add(tx -> new LedgeredTransaction.Counts(0, JdbcStatements.update(tx, purge)));
        }
        return LedgeredTransaction.run(
                c,
                new SnowflakeLoadTransaction(staleTransactions, batch.pipeline(), target),
                ledger,
                batch,
                target,
                steps);
    }

    /** Keyed tables: values winners lack, then one MERGE of the winners; tables without key: an append. */
    private static long merge(Connection c, MergeSql sql, StagedRows staged, List<String> targetColumns)
            throws SQLException {
        if (!sql.batch().hasKey()) {
            return JdbcStatements.update(c, sql.append());
        }
        String resolve = sql.resolveMissingValues(staged);
        if (resolve != null) {
            JdbcStatements.execute(c, resolve);
        }
        return JdbcStatements.update(c, sql.mergeInto(targetColumns));
    }

    /** Temporary tables end with the session; dropping them now frees their storage at once. */
    private static void dropQuietly(Connection c, SnowflakeBatchPart part) {
        try {
            if (c.isClosed()) {
                return;
            }
            for (String drop : part.dropStatements()) {
                JdbcStatements.execute(c, drop);
            }
        } catch (SQLException e) {
            LOG.debug(
                    "dropping the temporary tables of {} failed; they go with the session",
                    part.sql().target(),
                    e);
        }
    }
}
