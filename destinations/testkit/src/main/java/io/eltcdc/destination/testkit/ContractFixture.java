package io.eltcdc.destination.testkit;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every part of the destination contract ({@link DestinationContractTest}) stands on: the
 * destination under test, made fresh for each test by the subclass, and the tables, staged files and
 * queries the tests share.
 */
public abstract class ContractFixture {
    protected static final String PIPELINE = "contract";
    protected static final TableId ITEMS = new TableId("shop", "items");
    protected static final TableSchema ITEMS_SCHEMA = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));

    protected static final TableId TICKETS = new TableId("shop", "tickets");
    /**
     * A table whose column {@code code} changes type in the source, {@code uuid} to {@code text}
     * ({@link #TICKETS_V2}): a change every destination follows (Redshift only lengthens a VARCHAR),
     * so the files of the two versions load in two parts.
     */
    protected static final TableSchema TICKETS_V1 = new TableSchema(
            TICKETS,
            List.of(
                    new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                    Column.of("code", ColumnType.UUID),
                    Column.of("note", ColumnType.STRING)),
            List.of("id"));

    protected static final TableSchema TICKETS_V2 = new TableSchema(
            TICKETS,
            List.of(
                    new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                    Column.of("code", ColumnType.STRING),
                    Column.of("note", ColumnType.STRING)),
            List.of("id"));
    /** The index of {@code note} in both versions. */
    protected static final int TICKET_NOTE = 2;

    @TempDir
    protected Path files;

    private Destination destination;

    /** Empties the destination: no tables from other tests. */
    protected abstract void resetDestination() throws Exception;

    protected abstract Destination createDestination(String schemaOverride, DeleteMode deleteMode) throws Exception;

    protected Destination createDestination(String schemaOverride) throws Exception {
        return createDestination(schemaOverride, DeleteMode.HARD);
    }

    /** A connection to read the destination with. */
    protected abstract Connection connect() throws SQLException;

    /** Text that failure messages use to name the destination. */
    protected abstract String destinationName();

    @BeforeEach
    void setUpDestination() throws Exception {
        resetDestination();
        destination = createDestination(null);
    }

    @AfterEach
    void closeDestination() throws Exception {
        if (destination != null) { // null when the set-up was skipped (a destination's service not configured)
            destination.close();
        }
    }

    protected Destination destination() {
        return destination;
    }

    /**
     * Whether the destination widens a column's type in place (integer to bigint, numeric(6,2) to
     * numeric(12,3)). Redshift cannot (it only makes a VARCHAR longer): it refuses the change instead.
     */
    protected boolean widensColumnTypes() {
        return true;
    }

    /**
     * Whether the destination renames a column the source renamed (keeping its values). BigQuery
     * does not yet: there a rename is a new column, and the old one keeps its values.
     */
    protected boolean renamesColumns() {
        return true;
    }

    /** Replaces the destination by one of {@code mode}. */
    protected void useDeleteMode(DeleteMode mode) throws Exception {
        destination.close();
        destination = createDestination(null, mode);
    }

    protected StagedFile write(TableSchema schema, Row... rows) throws Exception {
        return StagedFiles.write(files, schema, List.of(rows));
    }

    protected List<List<Object>> itemsWithMetadata() throws SQLException {
        try (Connection c = connect()) {
            return query(
                    c,
                    "SELECT \"id\", \"name\", \"_elt_deleted\", \"_elt_op\", \"_elt_position\""
                            + " FROM \"shop\".\"items\" ORDER BY \"id\"");
        }
    }

    protected static List<Object> item(int id, String name, boolean deleted, String op, long position) {
        return Arrays.asList(id, name, deleted, op, new BigDecimal(position));
    }

    protected Instant syncedAt(int id) throws SQLException {
        try (Connection c = connect()) {
            return (Instant) query(c, "SELECT \"_elt_synced_at\" FROM \"shop\".\"items\" WHERE \"id\" = " + id)
                    .get(0)
                    .get(0);
        }
    }

    protected List<String> itemColumns() throws SQLException {
        try (Connection c = connect()) {
            return query(
                            c,
                            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'shop'"
                                    + " AND table_name = 'items' ORDER BY ordinal_position")
                    .stream()
                    .map(r -> (String) r.get(0))
                    .toList();
        }
    }

    protected LoadResult load(LoadBatch batch) throws Exception {
        return destination.load(batch);
    }

    protected static LoadBatch batch(TableId table, String id, StagedFile... staged) {
        return new LoadBatch(PIPELINE, table, id, Arrays.asList(staged));
    }

    protected List<List<Object>> items() throws SQLException {
        try (Connection c = connect()) {
            return query(c, "SELECT \"id\", \"name\" FROM \"shop\".\"items\" ORDER BY \"id\"");
        }
    }

    /** {@code id}, {@code code} (as text), {@code note} and the metadata columns of {@link #TICKETS}, by id. */
    protected List<List<Object>> ticketsWithMetadata(String... metadataColumns) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT \"id\", \"code\", \"note\"");
        for (String column : metadataColumns) {
            sql.append(", \"").append(column).append('"');
        }
        try (Connection c = connect()) {
            return query(
                    c, sql.append(" FROM \"shop\".\"tickets\" ORDER BY \"id\"").toString());
        }
    }

    protected List<List<Object>> everything(String table) throws SQLException {
        try (Connection c = connect()) {
            return query(c, "SELECT * FROM " + table + " ORDER BY 1");
        }
    }

    /** Rows as lists of JDBC objects; decimals as BigDecimal, timestamps as instants (comparable across reads). */
    protected static List<List<Object>> query(Connection c, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object value = r.getObject(i);
                    if (value instanceof Timestamp ts) {
                        value = ts.toInstant();
                    } else if (value instanceof OffsetDateTime odt) {
                        value = odt.toInstant();
                    } else if (value instanceof BigDecimal || value instanceof Instant) {
                        // as is
                    } else if (value != null && value.getClass().getName().startsWith("org.duckdb")) {
                        value = r.getString(i);
                    }
                    row.add(value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
