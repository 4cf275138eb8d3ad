package io.eltcdc.destination.redshift;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Redshift's way to fill the raw table: the part's files listed in a manifest next to them
 * ({@code part-<n>.manifest}, a deterministic name, overwritten by a retry), then one COPY of the
 * manifest. The COPY statement holds the credentials: a failure's message shows the statement
 * with them masked, and carries no cause whose message could hold them.
 */
final class CopyFromManifest implements RawTableLoader {
    private final LoadFileStore store;
    private final CopySql copy;

    CopyFromManifest(LoadFileStore store, CopySql copy) {
        this.store = store;
        this.copy = copy;
    }

    static String manifestUri(String folder, int part) {
        return folder + "/part-" + part + ".manifest";
    }

    @Override
    public void load(Connection c, String folder, int part, List<String> files) throws Exception {
        String manifest = manifestUri(folder, part);
        try (OutputStream out = store.create(manifest)) {
            out.write(CopyManifest.json(files).getBytes(StandardCharsets.UTF_8));
        }
        try (Statement s = c.createStatement()) {
            s.execute(copy.copy(RedshiftSql.RAW, manifest));
        } catch (SQLException e) {
            throw withoutSecret(e, copy.redacted(RedshiftSql.RAW, manifest));
        }
    }

    private SQLException withoutSecret(SQLException e, String redactedStatement) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
            message.append("; ").append(next.getMessage());
        }
        message.append(" (see STL_LOAD_ERRORS for the rows COPY refused)\n  in: ")
                .append(redactedStatement);
        return new SQLException(copy.scrub(message.toString()), e.getSQLState(), e.getErrorCode());
    }
}
