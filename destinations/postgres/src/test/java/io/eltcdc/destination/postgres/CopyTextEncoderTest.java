package io.eltcdc.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.AvroValues;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class CopyTextEncoderTest {

    @Test
    void escapesTextAndSeparatesNullFromEmpty() {
        CopyTextEncoder out = new CopyTextEncoder(4); // small: the buffer grows
        out.text(new Utf8("a\tb\nc\rd\\e ü"));
        out.text("");
        out.nullValue();
        out.text("\\N");
        out.endRow();
        out.value(Column.of("b", ColumnType.BYTES), ByteBuffer.wrap(new byte[] {0, '\\', (byte) 0xff}));
        out.endRow();
        assertThat(new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8))
                .isEqualTo("a\\tb\\nc\\rd\\\\e ü\t\t\\N\t\\\\N\n\\\\x005cff\n");
    }

    @Test
    void numbersDigitByDigit() {
        CopyTextEncoder out = new CopyTextEncoder(8);
        out.integer(0);
        out.integer(-42);
        out.integer(Long.MIN_VALUE);
        out.integer(Long.MAX_VALUE);
        out.endRow();
        Column d2 = Column.decimal("d", 12, 2);
        for (String value : List.of("0.00", "0.05", "-0.05", "12345.67", "-99999999.99", "-1.00")) {
            out.value(d2, AvroValues.toAvro(d2, new BigDecimal(value)));
        }
        out.endRow();
        Column d0 = Column.decimal("d", 18, 0);
        Column d18 = Column.decimal("d", 38, 18);
        Column wide = Column.decimal("d", 38, 2);
        out.value(d0, AvroValues.toAvro(d0, new BigDecimal("-999999999999999999")));
        out.value(d18, AvroValues.toAvro(d18, new BigDecimal("-0.000000000000000001")));
        out.value(wide, AvroValues.toAvro(wide, new BigDecimal("123456789012345678901234567890.12")));
        out.value(wide, ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0})); // Long.MIN_VALUE unscaled
        out.position(new Position(0, 7));
        out.position(new Position(1, 0));
        out.endRow();
        assertThat(new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8))
                .isEqualTo("0\t-42\t-9223372036854775808\t9223372036854775807\n"
                        + "0.00\t0.05\t-0.05\t12345.67\t-99999999.99\t-1.00\n"
                        + "-999999999999999999\t-0.000000000000000001\t123456789012345678901234567890.12\t"
                        + "-92233720368547758.08\t7\t18446744073709551616\n");
    }

    @Test
    void datesAndTimestampsBeforeYearOne() {
        assertThat(CopyTextEncoder.date((int) LocalDate.of(0, 3, 1).toEpochDay()))
                .isEqualTo("0001-03-01 BC");
        assertThat(CopyTextEncoder.date((int) LocalDate.of(-43, 3, 15).toEpochDay()))
                .isEqualTo("0044-03-15 BC");
        assertThat(CopyTextEncoder.date((int) LocalDate.of(1, 1, 1).toEpochDay()))
                .isEqualTo("0001-01-01");
        long micros = (Long)
                AvroValues.toAvro(Column.of("t", ColumnType.TIMESTAMP), LocalDateTime.of(-43, 3, 15, 12, 0, 0, 1_000));
        assertThat(CopyTextEncoder.timestamp(micros, "+00")).isEqualTo("0044-03-15 12:00:00.000001+00 BC");
        long beforeEpoch =
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000).toEpochSecond(ZoneOffset.UTC) * 1_000_000
                        + 999_999;
        assertThat(CopyTextEncoder.timestamp(beforeEpoch, "")).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(CopyTextEncoder.time(86_399_999_999L)).isEqualTo("23:59:59.999999");
    }
}
