package io.eltcdc.model.serde;

import io.eltcdc.model.ColumnType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.UUID;

/**
 * Binary form of single values of a {@link ColumnType}, for Flink state and records: split
 * boundaries, last emitted keys, record values. A leading byte marks null.
 */
public final class TypedValues {
    private TypedValues() {}

    public static void write(DataOutput out, ColumnType type, Object value) throws IOException {
        if (value == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        switch (type) {
            case INT32 -> out.writeInt((Integer) value);
            case INT64 -> out.writeLong((Long) value);
            case FLOAT32 -> out.writeFloat((Float) value);
            case FLOAT64 -> out.writeDouble((Double) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case DECIMAL -> {
                BigDecimal d = (BigDecimal) value;
                out.writeInt(d.scale());
                writeBytes(out, d.unscaledValue().toByteArray());
            }
            case DATE -> out.writeLong(((LocalDate) value).toEpochDay());
            case TIME -> out.writeLong(((LocalTime) value).toNanoOfDay());
            case TIMESTAMP -> {
                LocalDateTime t = (LocalDateTime) value;
                out.writeLong(t.toLocalDate().toEpochDay());
                out.writeLong(t.toLocalTime().toNanoOfDay());
            }
            case TIMESTAMP_TZ -> {
                Instant i = (Instant) value;
                out.writeLong(i.getEpochSecond());
                out.writeInt(i.getNano());
            }
            case UUID -> {
                UUID u = (UUID) value;
                out.writeLong(u.getMostSignificantBits());
                out.writeLong(u.getLeastSignificantBits());
            }
            case BYTES -> writeBytes(out, (byte[]) value);
            default -> writeString(out, (String) value); // STRING, JSON, DECIMAL_TEXT
        }
    }

    public static Object read(DataInput in, ColumnType type) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return switch (type) {
            case INT32 -> in.readInt();
            case INT64 -> in.readLong();
            case FLOAT32 -> in.readFloat();
            case FLOAT64 -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case DECIMAL -> {
                int scale = in.readInt();
                yield new BigDecimal(new BigInteger(readBytes(in)), scale);
            }
            case DATE -> LocalDate.ofEpochDay(in.readLong());
            case TIME -> LocalTime.ofNanoOfDay(in.readLong());
            case TIMESTAMP ->
                LocalDateTime.of(LocalDate.ofEpochDay(in.readLong()), LocalTime.ofNanoOfDay(in.readLong()));
            case TIMESTAMP_TZ -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case UUID -> new UUID(in.readLong(), in.readLong());
            case BYTES -> readBytes(in);
            default -> readString(in);
        };
    }

    /** Writes a string of any length (DataOutput.writeUTF stops at 64 KiB). */
    public static void writeString(DataOutput out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    public static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
