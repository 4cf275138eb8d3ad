package io.eltcdc.source.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the big-endian integers of PostgreSQL's binary formats straight from a byte array. The
 * array views compile to single loads, which matters at a few calls per value of every row.
 */
final class PgBinary {
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private PgBinary() {}

    static short int16(byte[] buf, int offset) {
        return (short) INT16.get(buf, offset);
    }

    /** An unsigned 16-bit field (numeric's digit count, sign and scale). */
    static int uint16(byte[] buf, int offset) {
        return int16(buf, offset) & 0xffff;
    }

    static int int32(byte[] buf, int offset) {
        return (int) INT32.get(buf, offset);
    }

    static long int64(byte[] buf, int offset) {
        return (long) INT64.get(buf, offset);
    }
}
