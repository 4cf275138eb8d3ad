package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.LedgeredTransaction;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.SchemaVersionGroups;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snowflake load protocol, on a connection the destination provides:
 * <ol>
 *   <li>skip the batch if the ledger has it;
 *   <li>read the files' headers (their schemas); create or widen the target table;
 *   <li>stage each part: COPY the files from the external stage into raw tables, move them into
 *       the part's staging table, and keep the latest record per key (the winners);
 *   <li>{@code BEGIN}; check the ledger again; per part fill in the values winners lack, then one
 *       {@code MERGE} (deletes, updates, inserts; or an append for a table without key); insert the
 *       ledger row; {@code COMMIT}.
 * </ol>
 * Steps 2 and 3 run before the transaction because Snowflake commits an open transaction at every
 * DDL statement, temporary tables included; they touch only this session's temporary tables and
 * the table's shape. A second delivery of a batch finds the ledger row and changes nothing.
 */
final class SnowflakeLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeLoader.class);

    private final SnowflakeStage stage;
    private final String schemaOverride;
    private final DeleteMode deleteMode;
    private final SnowflakeTableDdl ddl;
    private final SnowflakeLedger ledger = new SnowflakeLedger();

    SnowflakeLoader(SnowflakeStage stage, String schemaOverride, DeleteMode deleteMode) {
        this.stage = stage;
        this.schemaOverride = schemaOverride;
        this.deleteMode = deleteMode;
        this.ddl = new SnowflakeTableDdl(deleteMode);
    }

    TargetTable targetOf(LoadBatch batch) {
        return TargetTable.of(null, batch.table(), schemaOverride);
    }

    /** Creates the ledger and the external stage unless they exist; once per connection. */
    void prepare(Connection c) throws SQLException {
        c.setAutoCommit(true);
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

    void createTable(Connection c, TableSchema table) throws SQLException {
        ddl.ensure(c, TargetTable.of(null, table.id(), schemaOverride), BatchColumns.of(table.id(), List.of(table)));
    }

    LoadResult load(Connection c, LoadBatch batch) throws Exception {
        TargetTable target = targetOf(batch);
        if (ledger.contains(c, batch, target)) {
            return LoadResult.alreadyLoaded();
        }
        List<SnowflakeBatchPlan.FileOfVersion> files = readHeaders(batch);
        List<SnowflakeBatchPart> parts =
                SnowflakeBatchPlan.of(batch.table(), target, deleteMode, files, firstPositions(batch));
        List<String> targetColumns = List.of();
        for (SnowflakeBatchPart part : parts) {
            targetColumns = ddl.ensure(c, target, part.batch());
        }
        boolean hasDeleted = targetColumns.contains(MetadataColumns.DELETED);
        parts.replaceAll(p -> p.withDeletedColumn(hasDeleted));
        try {
            List<StagedRows> staged = new ArrayList<>();
            for (SnowflakeBatchPart part : parts) {
                staged.add(stage(c, part));
            }
            return inTransaction(c, batch, target, parts, staged, targetColumns);
        } finally {
            for (SnowflakeBatchPart part : parts) {
                dropQuietly(c, part);
            }
        }
    }

    /**
     * The files' schemas, from their headers (zero-byte files have none and hold no rows), with the
     * columns the source renamed under their new names in every file of the batch.
     */
    private List<SnowflakeBatchPlan.FileOfVersion> readHeaders(LoadBatch batch) throws IOException {
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
                    files.add(new SnowflakeBatchPlan.FileOfVersion(
                            readers.get(i).schema(),
                            written.get(i),
                            stage.relativeName(batch.files().get(i).path())));
                }
            }
            return files;
        } finally {
            for (StagedFileReader reader : readers) {
                try {
                    reader.close();
                } catch (IOException e) {
                    LOG.warn("closing {} failed", reader.file().path(), e);
                }
            }
        }
    }

    /**
     * The first position of a file of {@code batch}, read from the staged file itself: only for a
     * batch that loads in parts, which COPY cannot order.
     */
    private SchemaVersionGroups.FirstPosition<SnowflakeBatchPlan.FileOfVersion> firstPositions(LoadBatch batch) {
        Map<String, StagedFile> byName = new HashMap<>();
        for (StagedFile file : batch.files()) {
            byName.put(stage.relativeName(file.path()), file);
        }
        return f -> StagedFileReader.firstPositionOf(byName.get(f.relativeName()));
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
            List<String> targetColumns)
            throws Exception {
        List<LedgeredTransaction.Part> steps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            MergeSql sql = parts.get(i).sql();
            StagedRows rows = staged.get(i);
            steps.add(tx -> new LedgeredTransaction.Counts(
                    rows.rows(), rows.rows() > 0 ? merge(tx, sql, rows, targetColumns) : 0));
        }
        return LedgeredTransaction.run(c, TRANSACTION, ledger, batch, target, steps);
    }

    /** Keyed tables: values winners lack, then one MERGE of the winners; tables without key: an append. */
    /**
     * An explicit {@code BEGIN} … {@code COMMIT} on the autocommit connection, which staging (before
     * the transaction: Snowflake commits an open transaction at every DDL statement) leaves on.
     */
    private static final LedgeredTransaction.Session TRANSACTION = new LedgeredTransaction.Session() {
        @Override
        public void begin(Connection c) throws SQLException {
            JdbcStatements.execute(c, "BEGIN");
        }

        @Override
        public void commit(Connection c) throws SQLException {
            JdbcStatements.execute(c, "COMMIT");
        }

        @Override
        public void rollback(Connection c) throws SQLException {
            JdbcStatements.execute(c, "ROLLBACK");
        }

        @Override
        public void end(Connection c) {}
    };

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
