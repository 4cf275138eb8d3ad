package io.eltcdc.model;

import java.io.Serializable;
import java.math.BigInteger;

/**
 * A record's place in the total order of its table's changes: every snapshot row sorts before
 * every log event of the pipeline, and log events sort by log position.
 *
 * <p>It is a 126-bit unsigned number, {@code high * 2^64 + low} with {@code 0 <= high < 2^62}, so
 * that it fits a {@code DECIMAL(38,0)} in every destination and compares there as it does here.
 * How a source fills the two halves is its own business (PostgreSQL: LSN and the event's index
 * in its transaction; MySQL: binlog file, offset and row).
 */
public record Position(long high, long low) implements Comparable<Position>, Serializable {

    /** The position of snapshot rows when no log position was recorded before the snapshot. */
    public static final Position SNAPSHOT = new Position(0, 0);

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    public Position {
        if (high < 0 || high >= (1L << 62)) {
            throw new IllegalArgumentException("position high part out of range: " + high);
        }
    }

    @Override
    public int compareTo(Position o) {
        int c = Long.compare(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    public BigInteger toBigInteger() {
        BigInteger lowUnsigned = new BigInteger(Long.toUnsignedString(low));
        return BigInteger.valueOf(high).multiply(TWO_64).add(lowUnsigned);
    }

    public static Position of(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 126) {
            throw new IllegalArgumentException("position out of range: " + value);
        }
        return new Position(value.shiftRight(64).longValue(), value.longValue());
    }

    @Override
    public String toString() {
        return toBigInteger().toString();
    }
}
