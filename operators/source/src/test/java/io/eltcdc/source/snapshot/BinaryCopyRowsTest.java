package io.eltcdc.source.snapshot;

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
class BinaryCopyRowsTest {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private static BinaryCopyRows idAndName() {
        return new BinaryCopyRows(new BinaryValueDecoder[] {
            BinaryValueDecoder.of(Column.of("id", ColumnType.INT64)),
            BinaryValueDecoder.of(Column.of("name", ColumnType.STRING))
        });
    }

    @Test
    void theHeaderComesWithTheFirstRowAndTheTrailerAlone() throws IOException {
        BinaryCopyRows rows = idAndName();
        assertThat(rows.decode(message(true, 7L, "sieben"))).containsExactly(7L, "sieben");
        assertThat(rows.decode(message(false, 8L, null))).containsExactly(8L, null);
        assertThat(rows.complete()).isFalse();
        assertThat(rows.decode(trailer(false))).isNull();
        assertThat(rows.complete()).isTrue();
    }

    @Test
    void aHeaderAloneOrWithTheTrailerHoldsNoRow() throws IOException {
        BinaryCopyRows headerAlone = idAndName();
        assertThat(headerAlone.decode(header(new byte[] {1, 2, 3}))).isNull();
        assertThat(headerAlone.decode(message(false, 1L, "x"))).containsExactly(1L, "x");

        BinaryCopyRows empty = idAndName();
        assertThat(empty.decode(trailer(true))).isNull();
        assertThat(empty.complete()).isTrue();
    }

    @Test
    void framingErrorsAreReported() throws IOException {
        byte[] badSignature = message(true, 1L, "x");
        badSignature[0] = 'X';
        assertThatThrownBy(() -> idAndName().decode(badSignature)).hasMessageContaining("signature");

        BinaryCopyRows rows = idAndName();
        rows.decode(header(new byte[0]));
        assertThatThrownBy(() -> rows.decode(concat(message(false, 1L, "x"), message(false, 2L, "y"))))
                .hasMessageContaining("more than one row");

        BinaryCopyRows oneField = new BinaryCopyRows(new BinaryValueDecoder[] {BinaryValueDecoder.text()});
        assertThatThrownBy(() -> oneField.decode(message(true, 1L, "x"))).hasMessageContaining("2 fields, expected 1");
    }

    @Test
    void aValueOfTheWrongSizeNamesItsColumn() throws IOException {
        BinaryCopyRows rows = new BinaryCopyRows(new BinaryValueDecoder[] {
            BinaryValueDecoder.of(new Column("when", ColumnType.TIMESTAMP_TZ, 0, 0, true, "timestamptz"))
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
