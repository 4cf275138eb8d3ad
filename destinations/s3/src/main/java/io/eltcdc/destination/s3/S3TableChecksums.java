package io.eltcdc.destination.s3;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.CanonicalRows;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * {@link TableChecksums} of the S3 destination, which holds no table but the history of the change
 * records: a key range's current rows are got by replaying the manifests as the README's "Reading it"
 * says (per key the record with the highest position; a key whose last record is a DELETE is no row;
 * a column a record did not send keeps the value of the key's latest record that sent it), and hashed
 * in Java as the source hashes them in SQL ({@link CanonicalRows}).
 *
 * <p>The files are not partitioned by key, so every question reads the table's whole history (all the
 * files its manifests list), keeping only the records whose key lies in the range asked about: memory
 * holds one range's rows (the latest values per key in the range), whatever the table's size, and a
 * table is read once per range (the cost grows with ranges × history; a larger {@code source.chunk-size}
 * makes fewer ranges). A table without a key has no current state to replay and is not compared.
 */
final class S3TableChecksums implements TableChecksums {
    private final S3Layout layout;

    S3TableChecksums(S3Layout layout) {
        this.layout = layout;
    }

    /** The files keep the text the pipeline wrote. */
    @Override
    public JsonForm jsonForm() {
        return JsonForm.AS_WRITTEN;
    }

    @Override
    public String targetName(TableSchema table) {
        return table.id() + " in S3 destination " + layout.tableDir(table.id());
    }

    @Override
    public RangeChecksum checksum(TableSchema table, KeyRange range) throws Exception {
        long rows = 0;
        long sum = 0;
        for (KeyState row : replay(table, range).values()) {
            if (!row.deleted) {
                rows++;
                sum += CanonicalRows.rowHash(table, row.values); // wraps modulo 2^64, as verify sums
            }
        }
        return new RangeChecksum(rows, sum);
    }

    @Override
    public List<RowHash> rowHashes(TableSchema table, KeyRange range, int limit) throws Exception {
        List<KeyState> live = new ArrayList<>();
        for (KeyState row : replay(table, range).values()) {
            if (!row.deleted) {
                live.add(row);
            }
        }
        live.sort((a, b) -> KeyOrder.compare(a.key, b.key));
        List<RowHash> out = new ArrayList<>();
        for (KeyState row : live.subList(0, Math.min(limit, live.size()))) {
            out.add(new RowHash(CanonicalRows.keyText(table, row.values), CanonicalRows.rowHash(table, row.values)));
        }
        return out;
    }

    /** What the history says of one key so far: its latest record, and each column's latest sent value. */
    private static final class KeyState {
        final Object[] key;
        final Object[] values;
        final Position[] valuePositions;
        Position position;
        boolean deleted;

        KeyState(Object[] key, int columns) {
            this.key = key;
            this.values = new Object[columns];
            this.valuePositions = new Position[columns];
        }
    }

    /** The keys of {@code range} and what their records say, by the key's canonical text. */
    private Map<String, KeyState> replay(TableSchema table, KeyRange range) throws IOException {
        if (!table.hasKey()) {
            throw new IllegalStateException(targetName(table)
                    + ": a table without a key has no current rows in the S3 destination's history to compare"
                    + " (verify compares S3 tables by key; leave it out with --table)");
        }
        Map<String, KeyState> keys = new HashMap<>();
        for (Path manifestPath : manifests(table)) {
            S3Manifest manifest;
            FileSystem fs = manifestPath.getFileSystem();
            try (InputStream in = fs.open(manifestPath)) {
                manifest = S3Manifest.read(in);
            }
            for (S3Manifest.FileEntry entry : manifest.files()) {
                Path file = new Path(layout.tableDir(table.id()), entry.path());
                try (StagedFileReader reader =
                        StagedFileReader.open(new StagedFile(file.toString(), entry.sizeBytes()))) {
                    replayFile(table, range, reader, keys);
                } catch (IOException | RuntimeException e) {
                    throw new IOException(
                            targetName(table) + ": reading " + file + " (listed by " + manifestPath + ") failed: "
                                    + e.getMessage(),
                            e);
                }
            }
        }
        return keys;
    }

    private static void replayFile(
            TableSchema table, KeyRange range, StagedFileReader reader, Map<String, KeyState> keys) throws IOException {
        if (reader.schema() == null) {
            return;
        }
        reader.renameColumns(table.renamedFrom());
        TableSchema fileSchema = reader.schema();
        int[] fileColumn = new int[table.columns().size()];
        for (int i = 0; i < fileColumn.length; i++) {
            fileColumn[i] = fileSchema.indexOf(table.columns().get(i).name());
        }
        int keyParts = table.keyColumns().size();
        int[] keyColumn = new int[keyParts];
        for (int part = 0; part < keyParts; part++) {
            keyColumn[part] = fileColumn[table.keyIndex(part)];
            if (keyColumn[part] < 0) {
                throw new IllegalStateException(
                        "the file has no key column '" + table.keyColumns().get(part) + "'");
            }
        }
        Object[] key = new Object[keyParts];
        Object[] keyValues = new Object[table.columns().size()];
        boolean[] unchanged = new boolean[fileSchema.columns().size()];
        while (reader.next()) {
            for (int part = 0; part < keyParts; part++) {
                key[part] = reader.value(keyColumn[part]);
            }
            if (!KeyOrder.inRange(key, range)) {
                continue;
            }
            for (int part = 0; part < keyParts; part++) {
                keyValues[table.keyIndex(part)] = key[part];
            }
            String keyText = CanonicalRows.keyText(table, keyValues);
            KeyState state = keys.computeIfAbsent(
                    keyText, k -> new KeyState(key.clone(), table.columns().size()));
            Position position = reader.position();
            if (state.position == null || position.compareTo(state.position) > 0) {
                state.position = position;
                state.deleted = reader.isDelete();
            }
            if (reader.isDelete()) {
                continue; // a DELETE carries the key only
            }
            Arrays.fill(unchanged, false);
            for (int i = 0; i < reader.unchangedCount(); i++) {
                unchanged[reader.unchangedColumn(i)] = true;
            }
            for (int c = 0; c < fileColumn.length; c++) {
                int f = fileColumn[c];
                if (f >= 0 && unchanged[f]) {
                    continue; // not sent: the key's earlier record has it
                }
                if (state.valuePositions[c] == null || position.compareTo(state.valuePositions[c]) > 0) {
                    state.valuePositions[c] = position;
                    state.values[c] = f < 0 ? null : reader.value(f); // a column the file lacks is NULL
                }
            }
        }
    }

    /** The table's manifests; none when the table has none (no batch loaded yet). */
    private List<Path> manifests(TableSchema table) throws IOException {
        Path dir = layout.manifestDir(table.id());
        FileSystem fs = dir.getFileSystem();
        FileStatus[] listed;
        try {
            listed = fs.exists(dir) ? fs.listStatus(dir) : null;
        } catch (FileNotFoundException e) {
            listed = null;
        }
        List<Path> out = new ArrayList<>();
        if (listed != null) {
            for (FileStatus status : listed) {
                String name = status.getPath().getName();
                if (!status.isDir() && name.endsWith(S3Layout.MANIFEST_SUFFIX) && !name.startsWith(".")) {
                    out.add(status.getPath());
                }
            }
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }

    /** Column-by-column key comparison, as the planner's ranges compare keys. */
    static final class KeyOrder {
        private KeyOrder() {}

        /** Whether {@code key} lies in {@code (lower, upper]}. */
        static boolean inRange(Object[] key, KeyRange range) {
            return (range.lower() == null || compare(key, range.lower()) > 0)
                    && (range.upper() == null || compare(key, range.upper()) <= 0);
        }

        static int compare(Object[] a, Object[] b) {
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                int c = compareValues(a[i], b[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }

        /**
         * Numbers by value, bytes and UUIDs unsigned byte by byte (as PostgreSQL and MySQL order them),
         * other values of one class by their natural order, text by UTF-16 code units (a source
         * collation that orders text otherwise puts a row in another range on each side: the table's
         * totals still agree, as the README says).
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        static int compareValues(Object a, Object b) {
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : -1) : 1;
            }
            if (a instanceof Number x && b instanceof Number y) {
                if (isInteger(x) && isInteger(y)) {
                    return Long.compare(x.longValue(), y.longValue());
                }
                if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
                    return Double.compare(x.doubleValue(), y.doubleValue());
                }
                return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString()));
            }
            if (a instanceof byte[] x && b instanceof byte[] y) {
                return Arrays.compareUnsigned(x, y);
            }
            if (a instanceof java.util.UUID || b instanceof java.util.UUID) {
                return a.toString()
                        .toLowerCase(java.util.Locale.ROOT)
                        .compareTo(b.toString().toLowerCase(java.util.Locale.ROOT));
            }
            if (a.getClass() == b.getClass() && a instanceof Comparable c) {
                return c.compareTo(b);
            }
            return a.toString().compareTo(b.toString());
        }

        private static boolean isInteger(Number n) {
            return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
        }
    }
}
