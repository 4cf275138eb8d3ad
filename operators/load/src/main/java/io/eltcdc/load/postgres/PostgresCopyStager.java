package io.eltcdc.load.postgres;

import io.eltcdc.load.BatchStager;
import io.eltcdc.load.MergeSql;
import io.eltcdc.load.SqlIdentifiers;
import io.eltcdc.load.StagedFileReader;
import io.eltcdc.load.StagedKeys;
import io.eltcdc.load.StagedRows;
import io.eltcdc.model.Column;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Fills PostgreSQL's staging table with one {@code COPY … FROM STDIN} in text format. */
final class PostgresCopyStager implements BatchStager {
    private static final int CHUNK = 1 << 16;

    @Override
    public StagedRows stage(Connection c, MergeSql sql, List<StagedFileReader> files) throws Exception {
        List<Column> columns = sql.batch().columns();
        String copy = "COPY " + sql.stageTable() + " (" + SqlIdentifiers.list(sql.stageColumns()) + ") FROM STDIN";
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        CopyTextEncoder out = new CopyTextEncoder(CHUNK + 4096);
        StagedKeys keys = new StagedKeys(sql.batch());
        long rows = 0;
        try {
            for (StagedFileReader file : files) {
                int[] indexes = sql.batch().indexesIn(file.schema());
                keys.startFile(file);
                while (file.next()) {
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
                    out.endRow();
                    keys.add(file);
                    rows++;
                    if (out.length() >= CHUNK) {
                        in.writeToCopy(out.buffer(), 0, out.length());
                        out.clear();
                    }
                }
            }
            if (out.length() > 0) {
                in.writeToCopy(out.buffer(), 0, out.length());
            }
            long copied = in.endCopy();
            if (copied != rows) {
                throw new IllegalStateException("COPY took " + copied + " rows of " + rows);
            }
            return keys.result(rows);
        } catch (Exception e) {
            cancel(in, e);
            throw e;
        }
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
