package io.eltcdc.model.checksum;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code verify}'s canonical row text and row hash computed in Java, for a destination that has no
 * SQL to compute them (the S3 destination's files): the same text, bit for bit, as
 * {@link RowChecksumSql} spells in each database, from values in their pipeline form (the Java
 * classes of {@link io.eltcdc.model.ColumnType}: {@code Integer}, {@code Long}, {@code BigDecimal},
 * {@code String}, {@code UUID}, {@code byte[]}, {@code LocalDate}, {@code LocalTime},
 * {@code LocalDateTime}, {@code Instant}, …).
 */
public final class CanonicalRows {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private CanonicalRows() {}

    /** The canonical text of {@code value}, a value of {@code column}; {@link RowChecksumSql#NULL} for null. */
    public static String columnText(Column column, Object value) {
        if (value == null) {
            return RowChecksumSql.NULL;
        }
        return switch (column.type()) {
            case INT32, INT64 -> Long.toString(((Number) value).longValue());
            case DECIMAL -> value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            case FLOAT32 -> floatText(((Number) value).floatValue(), RowChecksumSql.REAL_DIGITS);
            case FLOAT64 -> floatText(((Number) value).doubleValue(), RowChecksumSql.DOUBLE_DIGITS);
            case BOOLEAN -> ((Boolean) value) ? "t" : "f";
            case DECIMAL_TEXT, STRING, JSON -> value.toString();
            case UUID -> value.toString().toLowerCase(java.util.Locale.ROOT);
            case BYTES -> HexFormat.of().formatHex((byte[]) value);
            case DATE -> Long.toString(((LocalDate) value).toEpochDay());
            case TIME -> Long.toString(((LocalTime) value).toNanoOfDay() / 1_000);
            case TIMESTAMP -> Long.toString(micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
            case TIMESTAMP_TZ -> Long.toString(micros((Instant) value));
        };
    }

    /**
     * A float rounded to {@code digits} significant digits with the arithmetic of
     * {@link RowChecksumSql#floatText}: {@code floor(log10|e| + 1e-12)} as the exponent, the mantissa
     * {@code floor(e / 10^(exponent - digits + 1) + 0.5)}.
     */
    static String floatText(double e, int digits) {
        if (Double.isNaN(e)) {
            return "NaN";
        }
        if (Double.isInfinite(e)) {
            return e > 0 ? "Infinity" : "-Infinity";
        }
        if (e == 0) {
            return "0";
        }
        double exponent = Math.floor(Math.log10(Math.abs(e)) + 1e-12);
        double mantissa = Math.floor(e / Math.pow(10, exponent - (digits - 1)) + 0.5);
        return (long) mantissa + "e" + (long) exponent;
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The canonical texts of {@code values} (of {@code columns}, in order) joined by {@link RowChecksumSql#SEPARATOR}. */
    public static String rowText(List<Column> columns, Object[] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append(RowChecksumSql.SEPARATOR);
            }
            text.append(columnText(columns.get(i), values[i]));
        }
        return text.toString();
    }

    /** The first 64 bits of the MD5 of {@code text}'s UTF-8 bytes, big-endian, as a signed long. */
    public static long hash64(String text) {
        byte[] digest = MD5.get().digest(text.getBytes(StandardCharsets.UTF_8));
        long hash = 0;
        for (int i = 0; i < 8; i++) {
            hash = (hash << 8) | (digest[i] & 0xff);
        }
        return hash;
    }

    /** The row hash of a row of {@code schema}: {@code values} in the schema's column order. */
    public static long rowHash(TableSchema schema, Object[] values) {
        return hash64(rowText(schema.columns(), values));
    }

    /** The key's canonical text ({@link RowHash#key()}); the whole row's for a table without a key. */
    public static String keyText(TableSchema schema, Object[] values) {
        if (!schema.hasKey()) {
            return rowText(schema.columns(), values);
        }
        int parts = schema.keyColumns().size();
        List<Column> key = new java.util.ArrayList<>(parts);
        Object[] keyValues = new Object[parts];
        for (int part = 0; part < parts; part++) {
            key.add(schema.columns().get(schema.keyIndex(part)));
            keyValues[part] = values[schema.keyIndex(part)];
        }
        return rowText(key, keyValues);
    }
}
