package io.eltcdc.destination.s3;

import io.eltcdc.destination.staged.UnscaledBytes;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;

/**
 * Copies one staged Avro file byte for byte while reading it, in one pass: the bytes go to the
 * target as the Avro reader consumes them, and the reader decodes only {@code _elt_position} (every
 * other field is skipped) to count the rows and find the position range. The copy is therefore a
 * complete, valid Avro file of the table whenever this returns.
 */
final class AvroFileCopy {
    private AvroFileCopy() {}

    /** What the copied file holds. */
    record Stats(
            long bytes,
            long rows,
            Position minPosition,
            Position maxPosition,
            Schema schema,
            TableSchema tableSchema) {}

    /** Opens the copy's output; called only once the source proved to be a staged file of the right table. */
    interface Target {
        OutputStream open() throws IOException;
    }

    /**
     * Copies {@code in} (not closed) to the stream {@code target} opens (closed here, which is where an
     * object store uploads) and returns the file's statistics. Nothing is opened for a file that is not
     * Avro, not staged by elt-cdc, or of another table than {@code table}.
     */
    static Stats copy(InputStream in, String name, TableId table, Target target) throws IOException {
        TeeInputStream tee = new TeeInputStream(in);
        PositionReader reader = new PositionReader();
        // Not closed: closing the Avro stream would close the source, which the caller owns.
        DataFileStream<Object> avro;
        try {
            avro = new DataFileStream<>(tee, reader);
        } catch (IOException | RuntimeException e) {
            throw new IOException("staged file " + name + " is not a staged Avro file: " + e.getMessage(), e);
        }
        Schema schema = avro.getSchema();
        TableSchema tableSchema;
        try {
            tableSchema = AvroSchemas.fromAvro(schema);
        } catch (RuntimeException e) {
            throw new IOException("staged file " + name + ": " + e.getMessage(), e);
        }
        if (!tableSchema.id().equals(table)) {
            throw new IOException("staged file " + name + " holds rows of " + tableSchema.id() + ", not of " + table);
        }
        try (OutputStream out = target.open()) {
            tee.attach(out);
            while (avro.hasNext()) {
                avro.next(null);
            }
            tee.drain(); // anything after the last block (nothing, in a well-formed file)
        }
        return new Stats(tee.count, reader.rows, reader.min(), reader.max(), schema, tableSchema);
    }

    /** Decodes {@code _elt_position} of each record and skips the rest. */
    private static final class PositionReader implements DatumReader<Object> {
        private List<Schema.Field> fields;
        private int positionField = -1;
        private ByteBuffer buffer;
        long rows;
        private boolean any;
        private long minHigh;
        private long minLow;
        private long maxHigh;
        private long maxLow;

        @Override
        public void setSchema(Schema schema) {
            Schema.Field position = schema.getField(AvroSchemas.POSITION_FIELD);
            if (position == null) {
                throw new IllegalArgumentException("the file's schema has no " + AvroSchemas.POSITION_FIELD + " field");
            }
            fields = schema.getFields();
            positionField = position.pos();
        }

        @Override
        public Object read(Object reuse, Decoder in) throws IOException {
            for (Schema.Field field : fields) {
                if (field.pos() == positionField) {
                    buffer = in.readBytes(buffer);
                    track(UnscaledBytes.high(buffer), UnscaledBytes.low(buffer));
                } else {
                    GenericDatumReader.skip(field.schema(), in);
                }
            }
            rows++;
            return null;
        }

        private void track(long high, long low) {
            if (!any) {
                minHigh = maxHigh = high;
                minLow = maxLow = low;
                any = true;
                return;
            }
            if (compare(high, low, minHigh, minLow) < 0) {
                minHigh = high;
                minLow = low;
            }
            if (compare(high, low, maxHigh, maxLow) > 0) {
                maxHigh = high;
                maxLow = low;
            }
        }

        private static int compare(long h1, long l1, long h2, long l2) {
            int c = Long.compare(h1, h2);
            return c != 0 ? c : Long.compareUnsigned(l1, l2);
        }

        Position min() {
            return any ? new Position(minHigh, minLow) : null;
        }

        Position max() {
            return any ? new Position(maxHigh, maxLow) : null;
        }
    }

    /**
     * Writes every byte read from the source to an output as well: into memory until the output is
     * attached (the Avro header, read before the file is accepted), then to the output.
     */
    private static final class TeeInputStream extends FilterInputStream {
        private ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private OutputStream out;
        long count;

        TeeInputStream(InputStream in) {
            super(in);
        }

        void attach(OutputStream target) throws IOException {
            pending.writeTo(target);
            pending = null;
            out = target;
        }

        private OutputStream out() {
            return out != null ? out : pending;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                out().write(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                out().write(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must be copied too: read them instead.
            byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the caller closes the source
        }

        void drain() throws IOException {
            byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) >= 0) {
                // copied by read
            }
        }
    }
}
