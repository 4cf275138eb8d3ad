package io.eltcdc.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The binary COPY stream's framing: header, rows, NULLs, the trailer, and what does not fit. */
class PostgresBinaryCopyRowsTest {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private static PostgresBinaryCopyRows idAndName() {
        return new PostgresBinaryCopyRows(new PgBinaryValueDecoder[] {
            PgBinaryValueDecoder.of(Column.of("id", ColumnType.INT64)),
            PgBinaryValueDecoder.of(Column.of("name", ColumnType.STRING))
        });
    }

    @Test
    void theHeaderComesWithTheFirstRowAndTheTrailerAlone() throws IOException {
        PostgresBinaryCopyRows rows = idAndName();
        assertThat(rows.decode(message(true, 7L, "sieben"))).containsExactly(7L, "sieben");
        assertThat(rows.decode(message(false, 8L, null))).containsExactly(8L, null);
        assertThat(rows.complete()).isFalse();
        assertThat(rows.decode(trailer(false))).isNull();
        assertThat(rows.complete()).isTrue();
    }

    @Test
    void aHeaderAloneOrWithTheTrailerHoldsNoRow() throws IOException {
        PostgresBinaryCopyRows headerAlone = idAndName();
        assertThat(headerAlone.decode(header(new byte[] {1, 2, 3}))).isNull();
        assertThat(headerAlone.decode(message(false, 1L, "x"))).containsExactly(1L, "x");

        PostgresBinaryCopyRows empty = idAndName();
        assertThat(empty.decode(trailer(true))).isNull();
        assertThat(empty.complete()).isTrue();
    }

    @Test
    void framingErrorsAreReported() throws IOException {
        byte[] badSignature = message(true, 1L, "x");
        badSignature[0] = 'X';
        assertThatThrownBy(() -> idAndName().decode(badSignature)).hasMessageContaining("signature");

        PostgresBinaryCopyRows rows = idAndName();
        rows.decode(header(new byte[0]));
        assertThatThrownBy(() -> rows.decode(concat(message(false, 1L, "x"), message(false, 2L, "y"))))
                .hasMessageContaining("more than one row");

        PostgresBinaryCopyRows oneField =
                new PostgresBinaryCopyRows(new PgBinaryValueDecoder[] {PgBinaryValueDecoder.text()});
        assertThatThrownBy(() -> oneField.decode(message(true, 1L, "x"))).hasMessageContaining("2 fields, expected 1");
    }

    @Test
    void aValueOfTheWrongSizeNamesItsColumn() throws IOException {
        PostgresBinaryCopyRows rows = new PostgresBinaryCopyRows(new PgBinaryValueDecoder[] {
            PgBinaryValueDecoder.of(new Column("when", ColumnType.TIMESTAMP_TZ, 0, 0, true, "timestamptz"))
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(header(new byte[0]));
        out.writeShort(1);
        out.writeInt(4);
        out.writeInt(42);
        assertThatThrownBy(() -> rows.decode(bytes.toByteArray()))
                .hasMessageContaining("column when (timestamptz")
                .hasMessageContaining("4 bytes, expected 8");
    }

    private static byte[] header(byte[] extension) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(extension.length);
        out.write(extension);
        return bytes.toByteArray();
    }

    private static byte[] message(boolean withHeader, long id, String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        if (withHeader) {
            out.write(header(new byte[0]));
        }
        out.writeShort(2);
        out.writeInt(8);
        out.writeLong(id);
        if (name == null) {
            out.writeInt(-1);
        } else {
            byte[] text = name.getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
        return bytes.toByteArray();
    }

    private static byte[] trailer(boolean withHeader) throws IOException {
        return concat(withHeader ? header(new byte[0]) : new byte[0], new byte[] {(byte) 0xff, (byte) 0xff});
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
