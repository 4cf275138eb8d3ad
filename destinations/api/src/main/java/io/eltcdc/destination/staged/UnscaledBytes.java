package io.eltcdc.destination.staged;

import java.nio.ByteBuffer;

/**
 * Reads the big-endian two's-complement integers Avro uses for decimals (and positions) as the two
 * 64-bit halves of a 128-bit integer, without going through {@link java.math.BigInteger}.
 */
public final class UnscaledBytes {
    private UnscaledBytes() {}

    /** The low 64 bits (as unsigned bits). */
    public static long low(ByteBuffer value) {
        checkLength(value);
        int start = value.position();
        int end = value.limit();
        long low = negative(value) ? -1L : 0L;
        for (int i = Math.max(start, end - 8); i < end; i++) {
            low = (low << 8) | (value.get(i) & 0xff);
        }
        return low;
    }

    /** The high 64 bits, signed: 0 or -1 for values that fit a long. */
    public static long high(ByteBuffer value) {
        checkLength(value);
        int start = value.position();
        int end = value.limit() - 8;
        long high = negative(value) ? -1L : 0L;
        for (int i = start; i < end; i++) {
            high = (high << 8) | (value.get(i) & 0xff);
        }
        return high;
    }

    private static boolean negative(ByteBuffer value) {
        return value.hasRemaining() && value.get(value.position()) < 0;
    }

    private static void checkLength(ByteBuffer value) {
        if (value.remaining() > 16) {
            throw new ArithmeticException("unscaled value of " + value.remaining() + " bytes exceeds 128 bits");
        }
    }
}
