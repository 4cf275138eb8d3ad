package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** Debezium's value forms become the values the snapshot reads for the same rows. */
class DebeziumValuesTest {

    @Test
    void numbersAndDecimalsAreExact() {
        assertThat(convert(ColumnType.INT32, (short) 7, Schema.INT16_SCHEMA)).isEqualTo(7);
        assertThat(convert(ColumnType.INT64, 7L, Schema.INT64_SCHEMA)).isEqualTo(7L);
        assertThat(convert(ColumnType.FLOAT64, 1.25d, Schema.FLOAT64_SCHEMA)).isEqualTo(1.25d);
        assertThat(DebeziumValues.convert(
                        new Column("d", ColumnType.DECIMAL, 12, 2, true, "numeric(12,2)"),
                        "12345678901.5",
                        Schema.STRING_SCHEMA))
                .isEqualTo(new BigDecimal("12345678901.50"));
        assertThat(DebeziumValues.convert(
                        new Column("u", ColumnType.DECIMAL, 20, 0, true, "bigint unsigned"),
                        new BigDecimal("18446744073709551615"),
                        null))
                .isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(convert(ColumnType.DECIMAL_TEXT, "NaN", Schema.STRING_SCHEMA))
                .isEqualTo("NaN");
        assertThat(convert(ColumnType.BOOLEAN, (short) 1, Schema.INT16_SCHEMA)).isEqualTo(true);
    }

    @Test
    void timesAreNeverShifted() {
        Schema microTimestamp =
                SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build();
        Schema milliTimestamp =
                SchemaBuilder.int64().name("io.debezium.time.Timestamp").build();
        Schema microTime =
                SchemaBuilder.int64().name("io.debezium.time.MicroTime").build();
        Schema date = SchemaBuilder.int32().name("io.debezium.time.Date").build();

        assertThat(convert(ColumnType.TIMESTAMP, 1_700_000_000_123_456L, microTimestamp))
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_456_000));
        assertThat(convert(ColumnType.TIMESTAMP, -1L, milliTimestamp))
                .isEqualTo(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000));
        assertThat(convert(ColumnType.TIME, 3_600_000_001L, microTime)).isEqualTo(LocalTime.of(1, 0, 0, 1_000));
        assertThat(convert(ColumnType.DATE, -1, date)).isEqualTo(LocalDate.of(1969, 12, 31));
        assertThat(convert(ColumnType.TIMESTAMP_TZ, "2024-03-01T10:00:00.5+02:00", Schema.STRING_SCHEMA))
                .isEqualTo(Instant.parse("2024-03-01T08:00:00.5Z"));
    }

    @Test
    void textBytesUuidAndArrays() {
        assertThat(convert(ColumnType.UUID, "123e4567-e89b-12d3-a456-426614174000", Schema.STRING_SCHEMA))
                .isEqualTo(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertThat((byte[]) convert(ColumnType.BYTES, ByteBuffer.wrap(new byte[] {0, 1, 2}), Schema.BYTES_SCHEMA))
                .containsExactly(0, 1, 2);
        Schema bits = SchemaBuilder.bytes().name("io.debezium.data.Bits").build();
        assertThat((byte[]) convert(ColumnType.BYTES, new byte[] {0x01, 0x02}, bits))
                .containsExactly(0x02, 0x01);
        assertThat(convert(ColumnType.JSON, List.of(1, 2), null)).isEqualTo("[1,2]");
        assertThat(convert(ColumnType.JSON, java.util.Arrays.asList("a\"b", null), null))
                .isEqualTo("[\"a\\\"b\",null]");
    }

    @Test
    void aValueThatDoesNotFitIsAnErrorNotATruncation() {
        assertThatThrownBy(() -> convert(ColumnType.INT32, 3_000_000_000L, Schema.INT64_SCHEMA))
                .hasMessageContaining("does not fit")
                .hasMessageContaining("re-sync");
        Schema microTime =
                SchemaBuilder.int64().name("io.debezium.time.MicroTime").build();
        assertThatThrownBy(() -> convert(ColumnType.TIME, -1L, microTime)).hasMessageContaining("outside a day");
    }

    private static Object convert(ColumnType type, Object value, Schema schema) {
        return DebeziumValues.convert(
                new Column("c", type, 0, 0, true, type.name().toLowerCase()), value, schema);
    }
}
