package io.eltcdc.destination.staged;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.avro.util.Utf8;

/**
 * Watches the records of a batch as a stager writes them, to tell the merge whether every key
 * occurs once, whether there are DELETEs and whether all records are snapshot READs. During an initial sync every batch holds each key
 * once and no DELETE, and knowing it lets the merge skip the "latest record per key" step, which
 * costs about as much as staging itself.
 *
 * <p>Keys are remembered as 64-bit hashes in an open-addressing set. Equal keys always hash alike,
 * so a repeated key is never missed; two different keys of equal hash only make the batch look
 * as if it had a repeated key, which costs the dedup step, never correctness. Hashes follow SQL
 * equality: numbers by value (decimals by their unscaled integer, -0.0 as 0.0), UUIDs without
 * case, text and bytes by their bytes. Key columns whose SQL equality is not their bytes' equality
 * (JSON; DECIMAL_TEXT, which PostgreSQL compares as numbers) are not tracked: such batches always
 * count as possibly repeating keys. So are batches of more than {@value #MAX_KEYS} records,
 * to bound the memory (8 bytes per slot, at most half full).
 *
 * <p>For a key of one integer column it also keeps the smallest and largest key, with which a
 * merge can ask the target about the whole batch with one range condition that zone maps and
 * indexes answer without reading the table.
 *
 * <p>It also turns a record's unchanged columns into the staging table's form
 * ({@link #unchangedText}) and remembers which columns were unchanged anywhere in the batch.
 */
public final class StagedKeys {
    static final int MAX_KEYS = 4 << 20;
    private static final long NULL_HASH = 0x6a09e667f3bcc909L;

    private final BatchColumns batch;
    private final List<Column> keyColumns;
    private final boolean trackable;
    private int[] keyIndexes = new int[0];
    /** For each column of the current file, its index among the batch's columns. */
    private int[] batchIndexOf = new int[0];

    private final BitSet unchanged = new BitSet();
    private long[] slots = new long[1 << 12];
    private int size;
    private boolean repeated;
    private boolean deletes;
    private boolean notRead;
    private final boolean ranged;
    private boolean nullKey;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    public StagedKeys(BatchColumns batch) {
        this.batch = batch;
        keyColumns = batch.columns().stream()
                .filter(c -> batch.key().contains(c.name()))
                .toList();
        trackable = batch.hasKey() && keyColumns.stream().allMatch(c -> hashable(c.type()));
        repeated = !trackable;
        ranged = keyColumns.size() == 1
                && (keyColumns.get(0).type() == ColumnType.INT32
                        || keyColumns.get(0).type() == ColumnType.INT64);
    }

    private static boolean hashable(ColumnType type) {
        return type != ColumnType.JSON && type != ColumnType.DECIMAL_TEXT;
    }

    /** Starts the records of {@code file}, whose schema version has every key column. */
    public void startFile(StagedFileReader file) {
        keyIndexes = new int[keyColumns.size()];
        for (int k = 0; k < keyIndexes.length; k++) {
            keyIndexes[k] = file.schema().indexOf(keyColumns.get(k).name());
            if (keyIndexes[k] < 0) {
                throw new IllegalArgumentException("staged file " + file.file().path() + " lacks key column "
                        + keyColumns.get(k).name());
            }
        }
        List<Column> fileColumns = file.schema().columns();
        batchIndexOf = new int[fileColumns.size()];
        for (int i = 0; i < batchIndexOf.length; i++) {
            batchIndexOf[i] = batch.columnNames().indexOf(fileColumns.get(i).name());
        }
    }

    /**
     * The current record's unchanged columns as the staging table holds them: {@code ,3,7,}, the
     * batch column indexes in ascending order between commas; null when it sent every column.
     *
     * @throws IllegalArgumentException if a key column or a column the file lacks is named
     */
    public String unchangedText(StagedFileReader file) {
        int n = file.unchangedCount();
        if (n == 0) {
            return null;
        }
        int[] columns = new int[n];
        for (int i = 0; i < n; i++) {
            int fileColumn = file.unchangedColumn(i);
            if (fileColumn < 0 || fileColumn >= batchIndexOf.length) {
                throw new IllegalArgumentException("staged file " + file.file().path() + " row " + file.rowsRead()
                        + " names unchanged column " + fileColumn + " of " + batchIndexOf.length);
            }
            int column = batchIndexOf[fileColumn];
            if (batch.key().contains(batch.columns().get(column).name())) {
                throw new IllegalArgumentException("staged file " + file.file().path() + " row " + file.rowsRead()
                        + " lacks the value of key column "
                        + batch.columns().get(column).name());
            }
            columns[i] = column;
            unchanged.set(column);
        }
        Arrays.sort(columns);
        StringBuilder text = new StringBuilder(2 + 4 * n).append(',');
        for (int column : columns) {
            text.append(column).append(',');
        }
        return text.toString();
    }

    /** Notes the current record of the file last started. */
    public void add(StagedFileReader file) {
        Op op = file.op();
        deletes |= op == Op.DELETE;
        notRead |= op != Op.READ;
        if (ranged) {
            if (file.isNull(keyIndexes[0])) {
                nullKey = true;
            } else {
                long key = file.longValue(keyIndexes[0]);
                min = Math.min(min, key);
                max = Math.max(max, key);
            }
        }
        if (repeated) {
            return;
        }
        long hash = 0;
        for (int k = 0; k < keyIndexes.length; k++) {
            hash = mix(hash * 0x9e3779b97f4a7c15L
                    + valueHash(file, keyIndexes[k], keyColumns.get(k).type()));
        }
        if (!addHash(hash == 0 ? 1 : hash)) {
            repeated = true;
            slots = null; // no longer needed: let it go
        }
    }

    public StagedRows result(long rows) {
        StagedRows.KeyRange range = ranged && !nullKey && rows > 0 ? new StagedRows.KeyRange(min, max) : null;
        return new StagedRows(
                rows,
                !repeated,
                deletes,
                !notRead,
                range,
                unchanged.stream().boxed().toList());
    }

    /** False when the set held {@code hash} already, or became too large to keep. */
    private boolean addHash(long hash) {
        if (size >= MAX_KEYS) {
            return false;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                slots[i] = hash;
                size++;
                return true;
            }
            if (slot == hash) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long hash : old) {
            if (hash != 0) {
                int i = (int) hash & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = hash;
            }
        }
    }

    private static long valueHash(StagedFileReader file, int column, ColumnType type) {
        if (file.isNull(column)) {
            return NULL_HASH;
        }
        return switch (type) {
            case INT32, DATE -> file.intValue(column);
            case INT64, TIME, TIMESTAMP, TIMESTAMP_TZ -> file.longValue(column);
            case BOOLEAN -> file.booleanValue(column) ? 1 : 0;
            case FLOAT32 -> Float.floatToIntBits(file.floatValue(column) + 0.0f); // -0.0 + 0.0 is 0.0; NaNs made one
            case FLOAT64 -> Double.doubleToLongBits(file.doubleValue(column) + 0.0);
            case DECIMAL -> decimalHash(file.bytes(column));
            case UUID -> bytesHash(file.text(column), true);
            case STRING -> bytesHash(file.text(column), false);
            case BYTES -> bytesHash(file.bytes(column));
            case JSON, DECIMAL_TEXT -> throw new IllegalStateException(type + " keys are not tracked");
        };
    }

    /** By the unscaled value, whatever the width it was written in. */
    private static long decimalHash(ByteBuffer unscaled) {
        return mix(UnscaledBytes.high(unscaled)) ^ UnscaledBytes.low(unscaled);
    }

    private static long bytesHash(Utf8 text, boolean ignoreAsciiCase) {
        byte[] bytes = text.getBytes();
        long h = 0xcbf29ce484222325L; // FNV-1a
        for (int i = 0, n = text.getByteLength(); i < n; i++) {
            byte b = bytes[i];
            if (ignoreAsciiCase && b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static long bytesHash(ByteBuffer buffer) {
        long h = 0xcbf29ce484222325L;
        for (int i = buffer.position(), n = buffer.limit(); i < n; i++) {
            h = (h ^ (buffer.get(i) & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** A 64-bit finaliser (splitmix64's): spreads every input bit over the whole hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
