package io.eltcdc.source.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Decodes PostgreSQL's binary {@code numeric} ({@code numeric_send}) to the {@code BigDecimal} its
 * text form denotes, scale included: {@code 1.50} stays {@code 1.50}, {@code 0.00} stays
 * {@code 0.00}.
 *
 * <p>The format: digit count, weight (the power of 10000 of the first digit), sign, display scale
 * (int16 each), then the base-10000 digits, most significant first, with leading and trailing zero
 * digits left out. The value is {@code sum(digit[k] * 10000^(weight - k))}, shown with display-scale
 * decimals.
 */
final class PgBinaryNumeric {
    private static final int SIGN_POSITIVE = 0x0000;
    private static final int SIGN_NEGATIVE = 0x4000;
    private static final int SIGN_NAN = 0xC000;
    private static final int SIGN_INFINITY = 0xD000;
    private static final int SIGN_NEGATIVE_INFINITY = 0xF000;
    /** Base-10000 digits that always fit a long: 10000^4 - 1 < 2^63. */
    private static final int DIGITS_PER_LONG = 4;

    private static final BigInteger LONG_CHUNK_FACTOR = BigInteger.TEN.pow(4 * DIGITS_PER_LONG);
    /** Decimal digits a long always holds: 10^18 - 1 < 2^63. */
    private static final int LONG_DECIMAL_DIGITS = 18;

    private PgBinaryNumeric() {}

    static BigDecimal decode(byte[] buf, int offset, int length) {
        if (length < 8) {
            throw new IllegalArgumentException("a binary numeric has at least 8 bytes, got " + length);
        }
        int ndigits = PgBinary.uint16(buf, offset);
        int weight = PgBinary.int16(buf, offset + 2);
        int sign = PgBinary.uint16(buf, offset + 4);
        int displayScale = PgBinary.uint16(buf, offset + 6);
        if (length != 8 + 2 * ndigits) {
            throw new IllegalArgumentException(
                    "a binary numeric of " + ndigits + " digits has " + (8 + 2 * ndigits) + " bytes, got " + length);
        }
        if (sign != SIGN_POSITIVE && sign != SIGN_NEGATIVE) {
            // The text form (NaN, Infinity) is no decimal number either: reading it as one failed before too.
            throw new IllegalArgumentException("numeric value " + special(sign) + " is not a decimal number");
        }
        int digits = offset + 8;
        // The last digit counts units of 10000^(weight - ndigits + 1), that is 10^(4 * that).
        int scaleOfLastDigit = -4 * (weight - ndigits + 1);
        BigDecimal value;
        if (ndigits == 0) {
            value = BigDecimal.valueOf(0, displayScale);
        } else if (ndigits <= DIGITS_PER_LONG && 4 * ndigits + displayScale - scaleOfLastDigit <= LONG_DECIMAL_DIGITS) {
            // the common case, one allocation: the unscaled value at the display scale fits a long
            value = BigDecimal.valueOf(
                    rescaled(chunk(buf, digits, ndigits), scaleOfLastDigit, displayScale), displayScale);
        } else {
            // numeric_out prints exactly displayScale decimals, cutting (not rounding) any digit beyond.
            value = new BigDecimal(unscaled(buf, digits, ndigits), scaleOfLastDigit)
                    .setScale(displayScale, RoundingMode.DOWN);
        }
        return sign == SIGN_NEGATIVE ? value.negate() : value;
    }

    /**
     * The digits of scale {@code scale} as the unscaled value of scale {@code displayScale} (the
     * caller checked that it fits). Decimals beyond the display scale are cut, as numeric_out does.
     */
    private static long rescaled(long digits, int scale, int displayScale) {
        long value = digits;
        for (int s = scale; s < displayScale; s++) {
            value *= 10;
        }
        for (int s = scale; s > displayScale; s--) {
            value /= 10;
        }
        return value;
    }

    /** The digits as one integer: a long when it fits, else long-sized chunks combined. */
    private static BigInteger unscaled(byte[] buf, int digits, int ndigits) {
        if (ndigits <= DIGITS_PER_LONG) {
            return BigInteger.valueOf(chunk(buf, digits, ndigits));
        }
        int head = ndigits % DIGITS_PER_LONG == 0 ? DIGITS_PER_LONG : ndigits % DIGITS_PER_LONG;
        BigInteger result = BigInteger.valueOf(chunk(buf, digits, head));
        for (int k = head; k < ndigits; k += DIGITS_PER_LONG) {
            result = result.multiply(LONG_CHUNK_FACTOR)
                    .add(BigInteger.valueOf(chunk(buf, digits + 2 * k, DIGITS_PER_LONG)));
        }
        return result;
    }

    private static long chunk(byte[] buf, int from, int count) {
        long value = 0;
        for (int k = 0; k < count; k++) {
            value = value * 10000 + PgBinary.uint16(buf, from + 2 * k);
        }
        return value;
    }

    private static String special(int sign) {
        return switch (sign) {
            case SIGN_NAN -> "NaN";
            case SIGN_INFINITY -> "Infinity";
            case SIGN_NEGATIVE_INFINITY -> "-Infinity";
            default -> "with sign 0x" + Integer.toHexString(sign);
        };
    }
}
