package io.eltcdc.destination.staged;

import io.eltcdc.model.Op;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.util.Utf8;

/**
 * Operation names as staged ({@code READ}, {@code INSERT}, …) read from their UTF-8 bytes into the
 * one String per operation, so a loader asking every row for its operation makes no Strings.
 */
final class OpNames {
    private static final Op[] OPS = Op.values();
    private static final byte[][] BYTES = new byte[OPS.length][];

    static {
        for (Op op : OPS) {
            BYTES[op.ordinal()] = op.name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private OpNames() {}

    /** The operation's name; an unknown name is returned as it is, for the caller to reject. */
    static String of(Utf8 name) {
        Op op = op(name);
        return op != null ? op.name() : name.toString();
    }

    /** The operation named, or null for an unknown name. */
    static Op op(Utf8 name) {
        for (Op op : OPS) {
            if (equal(name, BYTES[op.ordinal()])) {
                return op;
            }
        }
        return null;
    }

    private static boolean equal(Utf8 text, byte[] ascii) {
        return text.getByteLength() == ascii.length
                && Arrays.equals(text.getBytes(), 0, ascii.length, ascii, 0, ascii.length);
    }
}
