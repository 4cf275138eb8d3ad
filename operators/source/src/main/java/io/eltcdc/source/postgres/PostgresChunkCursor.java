package io.eltcdc.source.postgres;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ChunkRows;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The open query over one chunk's rows: a single range {@code SELECT} in key order (or physical
 * order), resuming after the split's progress when it has any, run as a binary {@code COPY}.
 *
 * <p>The server streams the rows as fast as they are taken (TCP flow control holds it back when the
 * reader is behind), so memory does not grow with the chunk and neither side waits for the other
 * between batches, as it would with a cursor's fetches.
 */
final class PostgresChunkCursor implements ChunkRows {
    private final ChunkSplit split;
    private final Position position;
    private final CopyOut copy;
    private final PostgresBinaryCopyRows rows;
    private final boolean byRowLocation;

    private PostgresChunkCursor(ChunkSplit split, Position position, CopyOut copy) {
        this.split = split;
        this.position = position;
        this.copy = copy;
        this.byRowLocation = split.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION;
        this.rows = new PostgresBinaryCopyRows(decoders(split.schema(), byRowLocation));
    }

    /**
     * Starts the chunk's query on {@code connection}, which must not be in autocommit mode: the
     * query runs in the transaction the caller ends after the last row.
     */
    static PostgresChunkCursor open(Connection connection, ChunkSplit split, Position position) throws SQLException {
        String sql = PostgresChunkQueries.copyBinary(query(connection, split));
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        return new PostgresChunkCursor(split, position, copy);
    }

    /** The chunk's SELECT, its bounds rendered as literals by the server. */
    private static String query(Connection connection, ChunkSplit split) throws SQLException {
        TableSchema schema = split.schema();
        if (split.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION) {
            String after = split.lastRowLocation();
            String[] literals = after == null
                    ? null
                    : PostgresServerLiterals.render(
                            connection,
                            PostgresChunkQueries.rowLocationTypes(split.partitioned()),
                            ps -> PostgresChunkQueries.bindRowLocation(ps, 1, split.partitioned(), after));
            return PostgresChunkQueries.readByRowLocation(schema, split.partitioned(), literals);
        }
        // A restored chunk continues after the last key it emitted, an exclusive bound like the lower one.
        Object[] lower = split.lastKey() != null ? split.lastKey() : split.lowerBound();
        Object[] upper = split.upperBound();
        List<String> types = new ArrayList<>();
        if (lower != null) {
            types.addAll(PostgresChunkQueries.keyTypes(schema));
        }
        if (upper != null) {
            types.addAll(PostgresChunkQueries.keyTypes(schema));
        }
        String[] literals = PostgresServerLiterals.render(connection, types, ps -> {
            int index = 1;
            if (lower != null) {
                index = PostgresChunkQueries.bindKey(ps, index, schema, lower);
            }
            if (upper != null) {
                PostgresChunkQueries.bindKey(ps, index, schema, upper);
            }
        });
        int keyParts = schema.keyColumns().size();
        String[] lowerLiterals = lower == null ? null : Arrays.copyOfRange(literals, 0, keyParts);
        String[] upperLiterals =
                upper == null ? null : Arrays.copyOfRange(literals, literals.length - keyParts, literals.length);
        return PostgresChunkQueries.readKeyRange(schema, split.partitioned(), lowerLiterals, upperLiterals);
    }

    /** A decoder per selected field: the row location's (text) first when there is one. */
    private static PgBinaryValueDecoder[] decoders(TableSchema schema, boolean byRowLocation) {
        List<PgBinaryValueDecoder> decoders = new ArrayList<>();
        if (byRowLocation) {
            decoders.add(PgBinaryValueDecoder.text());
        }
        for (Column column : schema.columns()) {
            decoders.add(PgBinaryValueDecoder.of(column));
        }
        return decoders.toArray(PgBinaryValueDecoder[]::new);
    }

    @Override
    public ChunkSplit split() {
        return split;
    }

    /** The next row as a snapshot record, or null after the chunk's last row. */
    @Override
    public SnapshotRow next() throws SQLException {
        byte[] message;
        while ((message = copy.readFromCopy()) != null) {
            Object[] fields = rows.decode(message);
            if (fields != null) {
                return byRowLocation ? rowWithLocation(fields) : new SnapshotRow(record(fields), null);
            }
        }
        if (!rows.complete()) {
            throw new IllegalStateException("COPY data ended without its end-of-data marker");
        }
        return null;
    }

    /** Nothing to release: the COPY is over once its end-of-data marker has been read. */
    @Override
    public void close() {}

    private SnapshotRow rowWithLocation(Object[] fields) {
        return new SnapshotRow(record(Arrays.copyOfRange(fields, 1, fields.length)), (String) fields[0]);
    }

    private ChangeRecord record(Object[] values) {
        return new ChangeRecord(split.schema(), Op.READ, position, values);
    }
}
