package io.eltcdc.source.mysql;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import java.util.Locale;

/**
 * Maps a MySQL or MariaDB column type, as {@code information_schema.COLUMNS} describes it, to the
 * pipeline's {@link ColumnType}. {@link MySqlColumnReaders} reads the values accordingly.
 *
 * <ul>
 *   <li>{@code tinyint(1)} (what {@code BOOL} creates) and {@code bit(1)}: BOOLEAN; other {@code bit(n)}:
 *       BYTES, the bits big-endian in {@code ceil(n / 8)} bytes, as the server sends them. A
 *       {@code tinyint(1)} holding another number than 0 or 1 reads as true, as MySQL's own tests of
 *       truth treat it.
 *   <li>Integers: INT32 where every value fits ({@code tinyint}, {@code smallint}, {@code mediumint},
 *       signed {@code int}, their unsigned forms but {@code int}'s, {@code year}); INT64 for
 *       {@code int unsigned} and {@code bigint}; {@code bigint unsigned} (up to 2^64 - 1) as
 *       DECIMAL(20, 0).
 *   <li>{@code float}: FLOAT32; {@code double}, {@code real}: FLOAT64; {@code decimal(p, s)}:
 *       DECIMAL(p, s) up to 38 digits, wider ones (MySQL allows 65) as DECIMAL_TEXT, their exact
 *       decimal text.
 *   <li>Character types, {@code enum} and {@code set} (their labels): STRING. {@code json}: JSON.
 *       MariaDB's {@code JSON} is an alias of {@code longtext} with a {@code CHECK (json_valid(col))}
 *       constraint: a text column with that check is JSON, any other text column STRING.
 *   <li>{@code binary}, {@code varbinary}, blobs: BYTES.
 *   <li>{@code date}: DATE; {@code datetime}: TIMESTAMP (a wall-clock value, never shifted);
 *       {@code timestamp}: TIMESTAMP_TZ (MySQL stores it as an instant); {@code time}: TIME, see
 *       {@link MySqlTemporalText#time} for the values that are not a time of day.
 *   <li>MariaDB's {@code uuid}: UUID; {@code inet4}, {@code inet6}: STRING, their text form.
 * </ul>
 *
 * <p>Spatial types ({@code geometry}, {@code point}, …) and any type not listed stop discovery
 * with an error naming the table, column and type, rather than travel as BYTES: their raw value is
 * the server's internal form (for geometries an SRID prefix and WKB), which no destination reads as
 * what it is, and a type added by a later server version may need a reading of its own. Leave such
 * a table out of the table patterns to read the others.
 */
final class MySqlTypes {
    /** Largest precision carried as {@link ColumnType#DECIMAL}; wider decimals travel as text. */
    static final int MAX_DECIMAL_PRECISION = 38;

    private MySqlTypes() {}

    /**
     * A column as {@code information_schema.COLUMNS} describes it.
     *
     * @param dataType {@code DATA_TYPE}, the type's name: {@code int}, {@code varchar}, {@code bit}
     * @param columnType {@code COLUMN_TYPE}, the full declaration: {@code int(10) unsigned}, {@code tinyint(1)}
     * @param precision {@code NUMERIC_PRECISION} (bits for {@code bit}), or null
     * @param scale {@code NUMERIC_SCALE}, or null
     * @param jsonChecked whether a {@code CHECK (json_valid(col))} constraint guards the column (MariaDB)
     */
    record MySqlColumn(
            String name,
            String dataType,
            String columnType,
            Long precision,
            Long scale,
            boolean nullable,
            boolean jsonChecked) {}

    /**
     * The pipeline column for {@code c}; {@code sourceType} is the column's {@code COLUMN_TYPE}
     * ({@code json} for MariaDB's checked JSON text).
     *
     * @throws IllegalArgumentException for a type the pipeline cannot carry, naming table, column and type
     */
    static Column column(TableId table, MySqlColumn c) {
        String columnType = c.columnType().toLowerCase(Locale.ROOT);
        ColumnType type = typeOf(table, c, columnType);
        if (type == ColumnType.DECIMAL) {
            boolean bigintUnsigned = c.dataType().equalsIgnoreCase("bigint");
            int precision = bigintUnsigned ? 20 : c.precision().intValue();
            int scale = bigintUnsigned ? 0 : c.scale().intValue();
            return new Column(c.name(), type, precision, scale, c.nullable(), columnType);
        }
        String sourceType = type == ColumnType.JSON && c.jsonChecked() ? "json" : columnType;
        return new Column(c.name(), type, 0, 0, c.nullable(), sourceType);
    }

    private static ColumnType typeOf(TableId table, MySqlColumn c, String columnType) {
        boolean unsigned = columnType.contains("unsigned");
        switch (c.dataType().toLowerCase(Locale.ROOT)) {
            case "tinyint":
                // BOOL and BOOLEAN create tinyint(1); MySQL 8.0.19+ drops other display widths but keeps this one
                return columnType.startsWith("tinyint(1)") && !unsigned ? ColumnType.BOOLEAN : ColumnType.INT32;
            case "smallint":
            case "mediumint":
            case "year":
                return ColumnType.INT32;
            case "int":
            case "integer":
                return unsigned ? ColumnType.INT64 : ColumnType.INT32;
            case "bigint":
                return unsigned ? ColumnType.DECIMAL : ColumnType.INT64;
            case "bit":
                return bits(c, columnType) == 1 ? ColumnType.BOOLEAN : ColumnType.BYTES;
            case "float":
                return ColumnType.FLOAT32;
            case "double":
            case "real":
            case "double precision":
                return ColumnType.FLOAT64;
            case "decimal":
            case "numeric":
            case "fixed":
                return c.precision() != null && c.precision() <= MAX_DECIMAL_PRECISION && c.scale() != null
                        ? ColumnType.DECIMAL
                        : ColumnType.DECIMAL_TEXT;
            case "char":
            case "varchar":
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext":
                return c.jsonChecked() ? ColumnType.JSON : ColumnType.STRING;
            case "enum":
            case "set":
            case "inet4":
            case "inet6":
                return ColumnType.STRING;
            case "json":
                return ColumnType.JSON;
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
                return ColumnType.BYTES;
            case "date":
                return ColumnType.DATE;
            case "time":
                return ColumnType.TIME;
            case "datetime":
                return ColumnType.TIMESTAMP;
            case "timestamp":
                return ColumnType.TIMESTAMP_TZ;
            case "uuid":
                return ColumnType.UUID;
            default:
                throw new IllegalArgumentException("table " + MySqlIdentifiers.quote(table) + " column "
                        + MySqlIdentifiers.quote(c.name()) + " is of type " + c.columnType()
                        + ", which the snapshot source cannot carry (spatial and other types without a pipeline"
                        + " type are not read as raw bytes: their raw form is the server's internal one)."
                        + " Leave the table out of the source's table patterns, or change the column's type.");
        }
    }

    /** The length of a {@code bit(n)} column: NUMERIC_PRECISION, else the declared {@code n}. */
    private static long bits(MySqlColumn c, String columnType) {
        if (c.precision() != null) {
            return c.precision();
        }
        int open = columnType.indexOf('(');
        int close = columnType.indexOf(')');
        return open < 0 || close < open
                ? 1
                : Long.parseLong(columnType.substring(open + 1, close).trim());
    }

    /** The type's name, lower case, from a {@code COLUMN_TYPE}: {@code bigint} for {@code bigint(20) unsigned}. */
    static String dataTypeOf(String sourceType) {
        String type = sourceType.toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < type.length() && (Character.isLetterOrDigit(type.charAt(end)) || type.charAt(end) == '_')) {
            end++;
        }
        return type.substring(0, end);
    }
}
