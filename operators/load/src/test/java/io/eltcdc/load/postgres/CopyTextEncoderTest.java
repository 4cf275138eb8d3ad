package io.eltcdc.load.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.AvroValues;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    void datesAndTimestampsBeforeYearOne() {
        assertThat(CopyTextEncoder.date((int) LocalDate.of(0, 3, 1).toEpochDay())).isEqualTo("0001-03-01 BC");
        assertThat(CopyTextEncoder.date((int) LocalDate.of(-43, 3, 15).toEpochDay())).isEqualTo("0044-03-15 BC");
        assertThat(CopyTextEncoder.date((int) LocalDate.of(1, 1, 1).toEpochDay())).isEqualTo("0001-01-01");
        long micros = (Long) AvroValues.toAvro(Column.of("t", ColumnType.TIMESTAMP),
                LocalDateTime.of(-43, 3, 15, 12, 0, 0, 1_000));
        assertThat(CopyTextEncoder.timestamp(micros, "+00")).isEqualTo("0044-03-15 12:00:00.000001+00 BC");
        long beforeEpoch = LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000).toEpochSecond(ZoneOffset.UTC) * 1_000_000
                + 999_999;
        assertThat(CopyTextEncoder.timestamp(beforeEpoch, "")).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(CopyTextEncoder.time(86_399_999_999L)).isEqualTo("23:59:59.999999");
    }
}
