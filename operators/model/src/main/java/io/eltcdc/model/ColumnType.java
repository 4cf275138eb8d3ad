package io.eltcdc.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.UUID;

/**
 * The types a column can have inside the pipeline. Each maps to one Avro type (with a logical
 * type where Avro has one) and to one type per destination; the Java class is what a
 * {@link ChangeRecord} holds for a value of this type.
 */
public enum ColumnType {
    INT32(Integer.class),
    INT64(Long.class),
    FLOAT32(Float.class),
    FLOAT64(Double.class),
    BOOLEAN(Boolean.class),
    /** Exact decimal with a declared precision (at most 38) and scale. */
    DECIMAL(BigDecimal.class),
    /** Exact decimal without a usable precision: carried as its decimal text, never rounded. */
    DECIMAL_TEXT(String.class),
    STRING(String.class),
    DATE(LocalDate.class),
    /** Time of day, microseconds. */
    TIME(LocalTime.class),
    /** Timestamp without time zone, microseconds (a wall-clock value, never shifted). */
    TIMESTAMP(LocalDateTime.class),
    /** Timestamp with time zone, microseconds: an instant, carried in UTC. */
    TIMESTAMP_TZ(Instant.class),
    UUID(UUID.class),
    /** JSON text (also arrays and composite values of the source). */
    JSON(String.class),
    BYTES(byte[].class);

    private final Class<?> javaClass;

    ColumnType(Class<?> javaClass) {
        this.javaClass = javaClass;
    }

    /** The class of the values a record holds for a column of this type. */
    public Class<?> javaClass() {
        return javaClass;
    }
}
