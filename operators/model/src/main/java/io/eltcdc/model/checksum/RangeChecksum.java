package io.eltcdc.model.checksum;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What {@code verify} compares of one key range on each side: how many rows it holds, and the sum
 * (mod 2^64) of their row hashes ({@link RowChecksumSql}). A sum does not depend on the order the
 * rows are read in, so the database that holds the rows computes it in one aggregate query.
 *
 * @param rows the range's rows
 * @param sum the sum of the rows' 64-bit hashes, modulo 2^64
 */
public record RangeChecksum(long rows, long sum) {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(64);

    public static final RangeChecksum EMPTY = new RangeChecksum(0, 0);

    /** From an aggregate's count and sum (a numeric, a decimal text, or NULL for no rows). */
    public static RangeChecksum of(long rows, Object sum) {
        if (sum == null) {
            return new RangeChecksum(rows, 0);
        }
        BigInteger total = sum instanceof BigDecimal d
                ? d.toBigIntegerExact()
                : new BigInteger(sum.toString().trim());
        return new RangeChecksum(rows, total.mod(MOD).longValue());
    }

    /** The checksum of this range and {@code other} together. */
    public RangeChecksum plus(RangeChecksum other) {
        return new RangeChecksum(rows + other.rows, sum + other.sum);
    }
}
