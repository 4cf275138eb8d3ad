package io.eltcdc.destination.staged;

import java.nio.ByteBuffer;
import org.apache.avro.util.Utf8;

/**
 * One record of a staged file in primitive form, indexed by Avro field position: the reusable
 * target of {@link StagedRowReader}. Numbers live in a {@code long} per field (floats and doubles
 * as their raw bits, booleans as 0 or 1), text in a reused {@link Utf8}, bytes in a reused
 * {@link ByteBuffer}, arrays of ints in a reused {@code int[]} (their length in the number slot);
 * so decoding a row allocates nothing once the buffers have grown.
 *
 * <p>Values are valid until the next row is decoded into the same instance.
 */
public final class StagedRow {
    final boolean[] isNull;
    final long[] numbers;
    final Utf8[] texts;
    final ByteBuffer[] bytes;
    final int[][] ints;

    StagedRow(int fields) {
        isNull = new boolean[fields];
        numbers = new long[fields];
        texts = new Utf8[fields];
        bytes = new ByteBuffer[fields];
        ints = new int[fields][];
    }

    public boolean isNull(int field) {
        return isNull[field];
    }

    /** An Avro int or long. */
    public long longValue(int field) {
        return numbers[field];
    }

    public int intValue(int field) {
        return (int) numbers[field];
    }

    public float floatValue(int field) {
        return Float.intBitsToFloat((int) numbers[field]);
    }

    public double doubleValue(int field) {
        return Double.longBitsToDouble(numbers[field]);
    }

    public boolean booleanValue(int field) {
        return numbers[field] != 0;
    }

    /** An Avro string: its UTF-8 bytes are {@code getBytes()[0, getByteLength())}. */
    public Utf8 text(int field) {
        return texts[field];
    }

    /** Avro bytes, from position 0 to the limit. */
    public ByteBuffer bytes(int field) {
        return bytes[field];
    }

    /** The length of an Avro array of ints. */
    public int intsLength(int field) {
        return (int) numbers[field];
    }

    /** Item {@code i} of an Avro array of ints. */
    public int intAt(int field, int i) {
        return ints[field][i];
    }
}
