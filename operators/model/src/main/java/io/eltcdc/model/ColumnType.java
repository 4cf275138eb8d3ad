package io.eltcdc.model;

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
    DECIMAL(java.math.BigDecimal.class),
    /** Exact decimal without a usable precision: carried as its decimal text, never rounded. */
    DECIMAL_TEXT(String.class),
    STRING(String.class),
    DATE(java.time.LocalDate.class),
    /** Time of day, microseconds. */
    TIME(java.time.LocalTime.class),
    /** Timestamp without time zone, microseconds (a wall-clock value, never shifted). */
    TIMESTAMP(java.time.LocalDateTime.class),
    /** Timestamp with time zone, microseconds: an instant, carried in UTC. */
    TIMESTAMP_TZ(java.time.Instant.class),
    UUID(java.util.UUID.class),
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
