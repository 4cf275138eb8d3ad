package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One chunk of one table: the rows whose key lies in {@code (lowerBound, upperBound]}, and how far
 * a reader got through them.
 *
 * <p>Bounds are key values (one per key column, of the columns' Java classes); a null bound is
 * unbounded, so the first chunk of a table also holds keys below the minimum seen when planning and
 * the last chunk those above the maximum. A table without a usable key is one chunk read in
 * physical row order ({@link ReadOrder#ROW_LOCATION}), its progress the last row's location
 * ({@code ctid}, with the partition's {@code tableoid} for a partitioned table).
 *
 * <p>Progress: the key (or row location) of the last row emitted; null when nothing has been
 * emitted yet. A split restored with progress reads only the rows after it.
 *
 * <p>Position: what every row of the chunk carries. The enumerator sets it when it hands the chunk
 * out: the log position recorded before the snapshot began (or {@link Position#SNAPSHOT}).
 */
public final class ChunkSplit implements SourceSplit {

    /** The order a chunk's rows are read in, which is also what its progress records. */
    public enum ReadOrder {
        /** By key, within the chunk's key range; progress is the last key. */
        KEY,
        /** By physical row location ({@code ctid}); the whole table, progress the last location. */
        ROW_LOCATION
    }

    private final String splitId;
    private final TableSchema schema;
    private final int chunkIndex;
    private final ReadOrder readOrder;
    private final boolean partitioned;
    private final Object[] lowerBound;
    private final Object[] upperBound;
    private final Object[] lastKey;
    private final String lastRowLocation;
    private final Position position;

    public ChunkSplit(
            TableSchema schema,
            int chunkIndex,
            ReadOrder readOrder,
            boolean partitioned,
            Object[] lowerBound,
            Object[] upperBound,
            Object[] lastKey,
            String lastRowLocation) {
        this(
                schema,
                chunkIndex,
                readOrder,
                partitioned,
                lowerBound,
                upperBound,
                lastKey,
                lastRowLocation,
                Position.SNAPSHOT);
    }

    public ChunkSplit(
            TableSchema schema,
            int chunkIndex,
            ReadOrder readOrder,
            boolean partitioned,
            Object[] lowerBound,
            Object[] upperBound,
            Object[] lastKey,
            String lastRowLocation,
            Position position) {
        this.position = Objects.requireNonNull(position, "position");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.chunkIndex = chunkIndex;
        this.readOrder = Objects.requireNonNull(readOrder, "readOrder");
        this.partitioned = partitioned;
        this.lowerBound = checkKey(schema, lowerBound);
        this.upperBound = checkKey(schema, upperBound);
        this.lastKey = checkKey(schema, lastKey);
        this.lastRowLocation = lastRowLocation;
        if (readOrder == ReadOrder.ROW_LOCATION && (lowerBound != null || upperBound != null || lastKey != null)) {
            throw new IllegalArgumentException("a chunk read by row location has no key bounds");
        }
        if (readOrder == ReadOrder.KEY && (!schema.hasKey() || lastRowLocation != null)) {
            throw new IllegalArgumentException("a chunk read by key needs a key and has no row location");
        }
        // Unique per table and chunk. Chunk indexes are never reused within a table.
        this.splitId = schema.id() + ":" + chunkIndex;
    }

    /** A new chunk read by key, nothing read yet. */
    public static ChunkSplit keyRange(
            TableSchema schema, int chunkIndex, boolean partitioned, Object[] lowerBound, Object[] upperBound) {
        return new ChunkSplit(schema, chunkIndex, ReadOrder.KEY, partitioned, lowerBound, upperBound, null, null);
    }

    /** A whole table read in physical order, nothing read yet. */
    public static ChunkSplit wholeTableByRowLocation(TableSchema schema, int chunkIndex, boolean partitioned) {
        return new ChunkSplit(schema, chunkIndex, ReadOrder.ROW_LOCATION, partitioned, null, null, null, null);
    }

    private static Object[] checkKey(TableSchema schema, Object[] key) {
        if (key != null && key.length != schema.keyColumns().size()) {
            throw new IllegalArgumentException(
                    "key value of " + schema.id() + " has " + key.length + " parts for key " + schema.keyColumns());
        }
        return key == null ? null : key.clone();
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public TableId table() {
        return schema.id();
    }

    public TableSchema schema() {
        return schema;
    }

    /** The chunk's number within its table, from 0. */
    public int chunkIndex() {
        return chunkIndex;
    }

    public ReadOrder readOrder() {
        return readOrder;
    }

    /** Whether the table is partitioned (read with its partitions; plain tables are read ONLY). */
    public boolean partitioned() {
        return partitioned;
    }

    /** Exclusive lower bound, or null for none. */
    public Object[] lowerBound() {
        return lowerBound == null ? null : lowerBound.clone();
    }

    /** Inclusive upper bound, or null for none. */
    public Object[] upperBound() {
        return upperBound == null ? null : upperBound.clone();
    }

    /** Key of the last emitted row, or null. */
    public Object[] lastKey() {
        return lastKey == null ? null : lastKey.clone();
    }

    /** Location of the last emitted row ({@link ReadOrder#ROW_LOCATION} only), or null. */
    public String lastRowLocation() {
        return lastRowLocation;
    }

    /** The position every row of this chunk carries. */
    public Position position() {
        return position;
    }

    /** This chunk with the reader's progress set to {@code key} (KEY) or {@code location} (ROW_LOCATION). */
    public ChunkSplit withProgress(Object[] key, String location) {
        return new ChunkSplit(
                schema, chunkIndex, readOrder, partitioned, lowerBound, upperBound, key, location, position);
    }

    /** This chunk with its rows carrying {@code newPosition}. */
    public ChunkSplit withPosition(Position newPosition) {
        return new ChunkSplit(
                schema,
                chunkIndex,
                readOrder,
                partitioned,
                lowerBound,
                upperBound,
                lastKey,
                lastRowLocation,
                newPosition);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkSplit s
                && s.chunkIndex == chunkIndex
                && s.readOrder == readOrder
                && s.partitioned == partitioned
                && s.schema.equals(schema)
                && Arrays.deepEquals(s.lowerBound, lowerBound)
                && Arrays.deepEquals(s.upperBound, upperBound)
                && Arrays.deepEquals(s.lastKey, lastKey)
                && Objects.equals(s.lastRowLocation, lastRowLocation)
                && s.position.equals(position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, readOrder);
    }

    @Override
    public String toString() {
        return "ChunkSplit{" + splitId + ", " + readOrder
                + (readOrder == ReadOrder.KEY
                        ? " (" + Arrays.deepToString(lowerBound) + ", " + Arrays.deepToString(upperBound) + "]"
                                + (lastKey == null ? "" : " after " + Arrays.deepToString(lastKey))
                        : (lastRowLocation == null ? "" : " after " + lastRowLocation))
                + '}';
    }
}
