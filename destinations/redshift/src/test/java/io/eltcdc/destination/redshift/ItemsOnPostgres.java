package io.eltcdc.destination.redshift;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests of the Redshift loader's connection use besides the contract suite: the table
 * {@code shop.items (id, name)}, its batches, and reading the local PostgreSQL back.
 */
final class ItemsOnPostgres {
    static final String PIPELINE = "p";
    static final TableSchema ITEMS = new TableSchema(
            new TableId("shop", "items"),
            List.of(Column.of("id", ColumnType.INT32), Column.of("name", ColumnType.STRING)),
            List.of("id"));

    private ItemsOnPostgres() {}

    /** A batch of {@code shop.items} with one staged file of {@code rows}, written under {@code files}. */
    static LoadBatch batch(Path files, String id, Row... rows) throws Exception {
        return new LoadBatch(PIPELINE, ITEMS.id(), id, List.of(StagedFiles.write(files, ITEMS, List.of(rows))));
    }

    /** The rows of {@code sql}, read over a plain PostgreSQL connection to {@code url}. */
    static List<List<Object>> query(String url, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = TestPostgres.connect(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
