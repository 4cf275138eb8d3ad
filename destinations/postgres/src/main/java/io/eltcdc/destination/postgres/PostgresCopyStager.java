package io.eltcdc.destination.postgres;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.sql.BatchStager;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedKeys;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills PostgreSQL's staging table with one {@code COPY … FROM STDIN} in text format. At the first
 * record with unchanged columns the COPY ends, the staging table gets the
 * {@link io.eltcdc.destination.MetadataColumns#UNCHANGED} column and a second COPY takes the rest.
 */
final class PostgresCopyStager implements BatchStager {
    private static final int CHUNK = 1 << 16;

    @Override
    public StagedRows stage(Connection c, MergeSql sql, List<StagedFileReader> files) throws Exception {
        List<Column> columns = sql.batch().columns();
        List<String> stageColumns = sql.stageColumns();
        CopyIn in = copyIn(c, sql, stageColumns);
        CopyTextEncoder out = new CopyTextEncoder(CHUNK + 4096);
        StagedKeys keys = new StagedKeys(sql.batch());
        long rows = 0;
        long copied = 0;
        boolean withUnchanged = false;
        try {
            for (StagedFileReader file : files) {
                int[] indexes = sql.batch().indexesIn(file.schema());
                keys.startFile(file);
                while (file.next()) {
                    String unchanged = keys.unchangedText(file);
                    if (unchanged != null && !withUnchanged) {
                        copied += end(in, out);
                        JdbcStatements.execute(c, sql.addUnchangedColumnToStage());
                        List<String> withColumn = new ArrayList<>(stageColumns);
                        withColumn.add(MetadataColumns.UNCHANGED);
                        in = copyIn(c, sql, withColumn);
                        withUnchanged = true;
                    }
                    for (int i = 0; i < indexes.length; i++) {
                        int column = indexes[i];
                        if (column < 0 || file.isNull(column)) {
                            out.nullValue();
                        } else {
                            out.value(columns.get(i), file, column);
                        }
                    }
                    out.ascii(file.opName());
                    out.position(file.position());
                    if (withUnchanged) {
                        if (unchanged == null) {
                            out.nullValue();
                        } else {
                            out.ascii(unchanged); // digits and commas
                        }
                    }
                    out.endRow();
                    keys.add(file);
                    rows++;
                    if (out.length() >= CHUNK) {
                        in.writeToCopy(out.buffer(), 0, out.length());
                        out.clear();
                    }
                }
            }
            copied += end(in, out);
            if (copied != rows) {
                throw new IllegalStateException("COPY took " + copied + " rows of " + rows);
            }
            return keys.result(rows);
        } catch (Exception e) {
            cancel(in, e);
            throw e;
        }
    }

    private static CopyIn copyIn(Connection c, MergeSql sql, List<String> columns) throws SQLException {
        String copy = "COPY " + sql.stageTable() + " (" + SqlIdentifiers.list(columns) + ") FROM STDIN";
        return c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
    }

    /** Sends what is buffered and ends the COPY; the rows it took. */
    private static long end(CopyIn in, CopyTextEncoder out) throws SQLException {
        if (out.length() > 0) {
            in.writeToCopy(out.buffer(), 0, out.length());
            out.clear();
        }
        return in.endCopy();
    }

    private static void cancel(CopyIn in, Exception failure) {
        try {
            if (in.isActive()) {
                in.cancelCopy();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
