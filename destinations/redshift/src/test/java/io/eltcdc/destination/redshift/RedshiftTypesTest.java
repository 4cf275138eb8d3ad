package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Target type, raw type, Avro type and conversion of every {@link ColumnType}. */
class RedshiftTypesTest {

    @Test
    void everyColumnType() {
        Map<ColumnType, String[]> expected = new EnumMap<>(ColumnType.class);
        // target type, raw type, Avro type, conversion of raw "x"
        expected.put(ColumnType.INT32, new String[] {"INTEGER", "INTEGER", "int", "x"});
        expected.put(ColumnType.INT64, new String[] {"BIGINT", "BIGINT", "long", "x"});
        expected.put(ColumnType.FLOAT32, new String[] {"REAL", "REAL", "float", "x"});
        expected.put(ColumnType.FLOAT64, new String[] {"DOUBLE PRECISION", "DOUBLE PRECISION", "double", "x"});
        expected.put(ColumnType.BOOLEAN, new String[] {"BOOLEAN", "BOOLEAN", "boolean", "x"});
        expected.put(
                ColumnType.DECIMAL,
                new String[] {"NUMERIC(12,2)", "VARCHAR(64)", "string", "CAST(x AS NUMERIC(12,2))"});
        expected.put(ColumnType.DECIMAL_TEXT, new String[] {"VARCHAR(65535)", "VARCHAR(65535)", "string", "x"});
        expected.put(ColumnType.STRING, new String[] {"VARCHAR(65535)", "VARCHAR(65535)", "string", "x"});
        expected.put(ColumnType.DATE, new String[] {"DATE", "VARCHAR(40)", "string", "CAST(x AS DATE)"});
        expected.put(ColumnType.TIME, new String[] {"TIME", "VARCHAR(40)", "string", "CAST(x AS TIME)"});
        expected.put(ColumnType.TIMESTAMP, new String[] {"TIMESTAMP", "VARCHAR(40)", "string", "CAST(x AS TIMESTAMP)"});
        expected.put(
                ColumnType.TIMESTAMP_TZ,
                new String[] {"TIMESTAMPTZ", "VARCHAR(40)", "string", "CAST(x AS TIMESTAMPTZ)"});
        expected.put(ColumnType.UUID, new String[] {"VARCHAR(36)", "VARCHAR(36)", "string", "x"});
        expected.put(ColumnType.JSON, new String[] {"VARCHAR(65535)", "VARCHAR(65535)", "string", "x"});
        expected.put(
                ColumnType.BYTES, new String[] {"VARBYTE(65535)", "VARCHAR(65535)", "string", "TO_VARBYTE(x, 'hex')"});
        assertThat(expected.keySet()).containsExactly(ColumnType.values());
        expected.forEach((type, e) -> {
            Column column = type == ColumnType.DECIMAL ? Column.decimal("c", 12, 2) : Column.of("c", type);
            assertThat(RedshiftTypes.columnType(column)).as("%s target", type).isEqualTo(e[0]);
            assertThat(RedshiftTypes.rawType(column)).as("%s raw", type).isEqualTo(e[1]);
            assertThat(RedshiftTypes.avroType(column).getTypes().get(1).getName())
                    .as("%s avro", type)
                    .isEqualTo(e[2]);
            assertThat(RedshiftTypes.avroType(column).getTypes().get(0).getName())
                    .isEqualTo("null");
            assertThat(RedshiftTypes.fromRaw(column, "x"))
                    .as("%s conversion", type)
                    .isEqualTo(e[3]);
        });
    }

    @Test
    void decimalsBeyondRedshiftsPrecisionStayExactText() {
        assertThat(RedshiftTypes.columnType(Column.decimal("c", 38, 38))).isEqualTo("NUMERIC(38,38)");
        assertThat(RedshiftTypes.columnType(Column.decimal("c", 40, 2))).isEqualTo("VARCHAR(65535)");
        assertThat(RedshiftTypes.fromRaw(Column.decimal("c", 40, 2), "x")).isEqualTo("x");
        assertThat(RedshiftTypes.isLongText(Column.decimal("c", 40, 2))).isTrue();
        assertThat(RedshiftTypes.isLongText(Column.decimal("c", 12, 2))).isFalse();
    }

    @Test
    void textFormsOfValues() {
        assertThat(LoadFileText.date(0)).isEqualTo("1970-01-01");
        assertThat(LoadFileText.date((int) java.time.LocalDate.of(1, 1, 1).toEpochDay()))
                .isEqualTo("0001-01-01");
        assertThat(LoadFileText.date((int) java.time.LocalDate.of(0, 3, 1).toEpochDay()))
                .isEqualTo("0001-03-01 BC");
        assertThat(LoadFileText.time(0)).isEqualTo("00:00:00.000000");
        assertThat(LoadFileText.time(86_399_999_999L)).isEqualTo("23:59:59.999999");
        assertThat(LoadFileText.timestamp(-1, false)).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(LoadFileText.timestamp(1_000_001, true)).isEqualTo("1970-01-01 00:00:01.000001+00");
        assertThat(LoadFileText.decimal(java.nio.ByteBuffer.wrap(new java.math.BigInteger("-12345").toByteArray()), 3))
                .isEqualTo("-12.345");
        assertThat(LoadFileText.hex(java.nio.ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 0x10}), 3))
                .isEqualTo("00ff10");
    }

    @Test
    void utf8IsCutBetweenCharacters() {
        byte[] text = "ab€".getBytes(java.nio.charset.StandardCharsets.UTF_8); // € is 3 bytes
        assertThat(Utf8Cut.at(text, 5)).isEqualTo(5);
        assertThat(Utf8Cut.at(text, 4)).isEqualTo(2);
        assertThat(Utf8Cut.at(text, 3)).isEqualTo(2);
        assertThat(Utf8Cut.at(text, 2)).isEqualTo(2);
    }
}
