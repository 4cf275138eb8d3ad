package io.eltcdc.destination.redshift;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcCleanup;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.LedgeredTransaction;
import io.eltcdc.destination.sql.LoadLedger;
import io.eltcdc.destination.sql.MergeRules;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.SchemaVersionGroups;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load protocol of Redshift, on a connection the destination provides (set to UTC the first
 * time, {@link RedshiftSession}):
 * <ol>
 *   <li>skip the batch if the ledger ({@code elt_cdc.loads}) has it;
 *   <li>read the staged files' headers; create or extend the target table (autocommit);
 *   <li>re-encode the records into load files next to the staging files ({@link LoadFileWriter}),
 *       before the transaction, so that it stays short;
 *   <li>in one transaction: lock the ledger ({@link LedgerLockSession}), check it again, COPY each
 *       part into a temporary table, merge ({@link RedshiftSql}: dedup, delete, insert; tables
 *       without key: append), delete the tombstones when the batch completes the table's snapshot
 *       ({@link MergeRules#purgesTombstones}), add the ledger row, commit; a transaction that Redshift cancelled for a
 *       conflict with a concurrent one runs again ({@link ConflictRetry});
 *   <li>delete the load files (best effort: a retry overwrites them, their names are fixed).
 * </ol>
 * Each part merges in the batch's delete mode ({@link MergeRules#deleteModeOf}): tombstones in a
 * hard-delete table while its snapshot is incomplete. A batch whose files have columns of changed types loads in parts, one per schema version, oldest
 * first, in the same transaction.
 */
final class RedshiftLoader {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftLoader.class);

    private final String destination;
    private final RawTableLoader raw;
    private final LoadFileStore store;
    private final String loadRoot;
    private final String schemaOverride;
    private final DeleteMode deleteMode;
    private final LongStrings longStrings;
    private final String secret;
    private final RedshiftTableDdl ddl;
    private final RedshiftSession session = new RedshiftSession();
    private final ConflictRetry retry;

    /**
     * @param destination how messages name the destination (never with a password)
     * @param loadRoot the folder URI load files are written under ({@code s3://bucket/staging})
     * @param secret a password to keep out of messages, or null
     * @param retry what runs a load transaction that Redshift cancelled for a conflict again
     */
    RedshiftLoader(
            String destination,
            RawTableLoader raw,
            LoadFileStore store,
            String loadRoot,
            String schemaOverride,
            DeleteMode deleteMode,
            LongStrings longStrings,
            String secret,
            ConflictRetry retry) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.raw = Objects.requireNonNull(raw, "raw");
        this.store = Objects.requireNonNull(store, "store");
        this.loadRoot = stripSlash(Objects.requireNonNull(loadRoot, "loadRoot"));
        this.schemaOverride = schemaOverride;
        this.deleteMode = Objects.requireNonNull(deleteMode, "deleteMode");
        this.longStrings = Objects.requireNonNull(longStrings, "longStrings");
        this.secret = secret;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.ddl = new RedshiftTableDdl(deleteMode, longStrings);
    }

    TargetTable targetOf(LoadBatch batch) {
        return RedshiftNames.target(batch.table(), schemaOverride);
    }

    /** The target table for a failure's message; null when the names themselves are refused. */
    TargetTable targetForMessage(LoadBatch batch) {
        try {
            return targetOf(batch);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Creates the target table of {@code table} where it is missing; adds missing columns. */
    void createTable(Connection c, TableSchema table) throws SQLException {
        session.prepare(c);
        c.setAutoCommit(true);
        TableSchema folded = RedshiftNames.fold(table);
        ddl.ensure(c, RedshiftNames.target(table.id(), schemaOverride), BatchColumns.of(table.id(), List.of(folded)));
    }

    /** Loads {@code batch} over {@code c}; on failure the transaction is rolled back and a {@link LoadException} thrown. */
    LoadResult load(Connection c, LoadBatch batch) throws LoadException {
        TargetTable target = null;
        List<StagedFileReader> files = new ArrayList<>(batch.files().size());
        String folder = null;
        try {
            target = targetOf(batch);
            session.prepare(c);
            c.setAutoCommit(true);
            LoadLedger ledger = new LoadLedger(null, RedshiftSql.NOW);
            ledger.ensureExists(c);
            if (ledger.contains(c, batch, target)) {
                return LoadResult.alreadyLoaded();
            }
            for (StagedFile file : batch.files()) {
                files.add(StagedFileReader.open(file));
            }
            List<StagedFileReader> withSchema =
                    files.stream().filter(f -> f.schema() != null).toList();
            StagedFileReader.renameColumnsAcross(withSchema); // files of a column's former name load under the new one
            RedshiftNames.checkNoCollisions(
                    batch.table(),
                    withSchema.stream().map(StagedFileReader::schema).toList());
            List<List<StagedFileReader>> groups = versionGroups(withSchema);
            List<BatchColumns[]> columns = new ArrayList<>();
            List<DeleteMode> modes = new ArrayList<>();
            List<String> targetColumns = List.of();
            for (List<StagedFileReader> group : groups) {
                List<TableSchema> schemas =
                        group.stream().map(StagedFileReader::schema).toList();
                BatchColumns original = BatchColumns.of(batch.table(), schemas);
                BatchColumns folded = BatchColumns.of(
                        batch.table(), schemas.stream().map(RedshiftNames::fold).toList());
                DeleteMode mode = MergeRules.deleteModeOf(deleteMode, batch, folded.hasKey());
                targetColumns = new RedshiftTableDdl(mode, longStrings).ensure(c, target, folded);
                columns.add(new BatchColumns[] {original, folded});
                modes.add(mode);
            }
            if (groups.isEmpty()) { // a batch without rows may still complete the snapshot
                targetColumns =
                        new ArrayList<>(RedshiftTableDdl.columnsOf(c, target).keySet());
            }
            String purge =
                    MergeRules.purgesTombstones(deleteMode, batch, targetColumns.contains(MetadataColumns.DELETED))
                            ? MergeRules.purgeTombstones(MergeRules.COMMA_SEPARATED, target.sql())
                            : null;
            folder = folderOf(batch, target);
            LoadFileWriter writer = new LoadFileWriter(store, longStrings);
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                LoadFileWriter.Written written = writer.write(folder, i, columns.get(i)[0], groups.get(i));
                warnOfTruncation(batch, target, written);
                parts.add(
                        new Part(i, new RedshiftSql(target, columns.get(i)[1], modes.get(i), targetColumns), written));
            }
            LoadResult result = inTransaction(c, batch, target, ledger, folder, parts, purge);
            deleteQuietly(folder);
            return result;
        } catch (Exception e) {
            throw new LoadException(batch, target, destination, e, secret);
        } finally {
            for (StagedFileReader file : files) {
                JdbcCleanup.closeQuietly(file);
            }
        }
    }

    /** One part of a batch: its number, statements and load files. */
    private record Part(int number, RedshiftSql sql, LoadFileWriter.Written written) {}

    private LoadResult inTransaction(
            Connection c,
            LoadBatch batch,
            TargetTable target,
            LoadLedger ledger,
            String folder,
            List<Part> parts,
            String purge)
            throws Exception {
        List<LedgeredTransaction.Part> steps = new ArrayList<>();
        for (Part part : parts) {
            steps.add(tx -> loadPart(tx, target, folder, part));
        }
        if (purge != null) { // the table's snapshot is complete: its tombstones go, with the merge
            steps.add(tx -> new LedgeredTransaction.Counts(0, JdbcStatements.update(tx, purge)));
        }
        LedgeredTransaction.Session transaction = new LedgerLockSession(ledger);
        return retry.run(
                target + ", batch " + batch.batchId(),
                () -> LedgeredTransaction.run(c, transaction, ledger, batch, target, steps));
    }

    /** COPYs one part's load files into the raw table, converts them into the staging table and merges. */
    private LedgeredTransaction.Counts loadPart(Connection c, TargetTable target, String folder, Part part)
            throws Exception {
        StagedRows rows = part.written().rows();
        if (rows.rows() == 0) {
            return new LedgeredTransaction.Counts(0, 0); // an empty file: its table exists, there is nothing to copy
        }
        RedshiftSql sql = part.sql();
        long started = System.nanoTime();
        JdbcStatements.execute(c, sql.createRaw());
        raw.load(c, folder, part.number(), part.written().files());
        JdbcStatements.execute(c, sql.createStage());
        long copied = JdbcStatements.update(c, sql.fillStage());
        if (copied != rows.rows()) {
            throw new IllegalStateException("COPY loaded " + copied + " rows of the " + rows.rows()
                    + " in the load files of part " + part.number());
        }
        long stagedAt = System.nanoTime();
        long merged = sql.batch().hasKey() ? merge(c, sql, rows) : JdbcStatements.update(c, sql.append());
        for (String drop : sql.dropTemporaryTables()) {
            JdbcStatements.execute(c, drop);
        }
        LOG.debug(
                "{}: staged {} rows in {} ms, merged {} in {} ms",
                target,
                rows.rows(),
                (stagedAt - started) / 1_000_000,
                merged,
                (System.nanoTime() - stagedAt) / 1_000_000);
        return new LedgeredTransaction.Counts(rows.rows(), merged);
    }

    /** Dedup, resolve missing values, delete, insert; returns rows deleted by DELETEs plus rows inserted. */
    static long merge(Connection c, RedshiftSql sql, StagedRows rows) throws SQLException {
        String winners = RedshiftSql.STAGE;
        if (!rows.keysDistinct()) {
            JdbcStatements.execute(c, sql.createWinners());
            winners = RedshiftSql.WINNERS;
        }
        String resolve = sql.createResolved(winners, rows);
        if (resolve != null) {
            JdbcStatements.execute(c, resolve);
            winners = RedshiftSql.RESOLVED;
        }
        String kept = sql.createKept(winners);
        if (kept != null) {
            JdbcStatements.execute(c, kept);
        }
        long deleted = 0;
        if (rows.hasDeletes() && sql.deleteModeIsHard()) {
            deleted = JdbcStatements.update(c, sql.deleteDeleted(winners));
        }
        JdbcStatements.update(c, sql.deleteReplaced(winners));
        return deleted + JdbcStatements.update(c, sql.insertWinners(winners, kept != null));
    }

    /**
     * The batch's files in groups that load together: one, unless a column's type differs between
     * the files' schema versions (compared under Redshift's folded names) or a version notes a
     * renamed column; then one group per version, oldest first ({@link SchemaVersionGroups}), which
     * also loads a column's former name's rows before the version that renamed it.
     */
    private static List<List<StagedFileReader>> versionGroups(List<StagedFileReader> files) throws IOException {
        if (files.isEmpty()) {
            return List.of();
        }
        Map<String, String> types = new HashMap<>();
        boolean agree = files.stream().allMatch(f -> f.schema().renamedFrom().isEmpty());
        for (StagedFileReader file : files) {
            for (Column column : file.schema().columns()) {
                String seen = types.putIfAbsent(RedshiftNames.fold(column.name()), column.typeText());
                agree &= seen == null || seen.equals(column.typeText());
            }
        }
        if (agree) {
            return List.of(files);
        }
        return SchemaVersionGroups.oldestFirst(
                SchemaVersionGroups.byVersion(files, f -> f.schema().version()), StagedFileReader::firstPosition);
    }

    /** {@code <loadRoot>/_redshift/<pipeline>/<schema>.<table>/<batch id>}: fixed per batch, so a retry overwrites. */
    String folderOf(LoadBatch batch, TargetTable target) {
        return loadRoot + "/_redshift/" + LoadFolderNames.segment(batch.pipeline()) + "/"
                + LoadFolderNames.segment(target.schema() + "." + target.table()) + "/"
                + LoadFolderNames.segment(batch.batchId());
    }

    private static void warnOfTruncation(LoadBatch batch, TargetTable target, LoadFileWriter.Written written) {
        written.truncatedByColumn()
                .forEach((column, count) -> LOG.warn(
                        "{}: truncated {} value(s) of column {} in batch {} to Redshift's limit"
                                + " (destination.long-strings: truncate); the rows have {} = true",
                        target,
                        count,
                        column,
                        batch.batchId(),
                        RedshiftNames.TRUNCATED));
    }

    private void deleteQuietly(String folder) {
        try {
            store.deleteFolder(folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "could not delete the load files in {} (they are overwritten by a retry and may be deleted)",
                    folder,
                    e);
        }
    }

    private static String stripSlash(String uri) {
        String out = uri;
        while (out.endsWith("/") && !out.endsWith("://")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
