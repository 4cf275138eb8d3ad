package io.eltcdc.source.postgres;

/**
 * Decodes the output of {@code COPY … TO STDOUT (FORMAT binary)}, one CopyData message at a time,
 * into rows of values.
 *
 * <p>The server sends each row as one message (the protocol guarantees it), the file header in front
 * of the first row and the trailer (field count -1) as a message of its own. The stream format: the
 * 11-byte signature, int32 flags, int32 header-extension length and the extension; then per row an
 * int16 field count and per field an int32 length (-1 for NULL) and the value's bytes.
 */
final class PostgresBinaryCopyRows {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** Flags bit 16: each row carries the row's OID, which this reader never asks for. */
    private static final int FLAG_WITH_OIDS = 1 << 16;

    private final PgBinaryValueDecoder[] decoders;
    private boolean headerRead;
    private boolean trailerRead;

    /** @param decoders one per field of a row, in select-list order */
    PostgresBinaryCopyRows(PgBinaryValueDecoder[] decoders) {
        this.decoders = decoders.clone();
    }

    /**
     * The row in {@code message}, one value per field (null for NULL); null when the message holds
     * no row (the trailer, or the header alone).
     *
     * @throws IllegalStateException when the message is not what the format allows here
     */
    Object[] decode(byte[] message) {
        int at = 0;
        if (!headerRead) {
            at = skipHeader(message);
            headerRead = true;
            if (at == message.length) {
                return null;
            }
        }
        if (trailerRead) {
            throw new IllegalStateException("COPY data after the end-of-data marker");
        }
        int fields = PgBinary.int16(message, at);
        at += 2;
        if (fields == -1) {
            trailerRead = true;
            checkConsumed(message, at);
            return null;
        }
        if (fields != decoders.length) {
            throw new IllegalStateException("COPY row has " + fields + " fields, expected " + decoders.length);
        }
        Object[] values = new Object[fields];
        for (int i = 0; i < fields; i++) {
            int length = PgBinary.int32(message, at);
            at += 4;
            if (length >= 0) {
                values[i] = decoders[i].decode(message, at, length);
                at += length;
            }
        }
        checkConsumed(message, at);
        return values;
    }

    /** Whether the end-of-data marker has been read: the data is complete. */
    boolean complete() {
        return trailerRead;
    }

    private static int skipHeader(byte[] message) {
        if (message.length < SIGNATURE.length + 8) {
            throw new IllegalStateException("COPY data does not start with a binary COPY header");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (message[i] != SIGNATURE[i]) {
                throw new IllegalStateException("COPY data does not start with the binary COPY signature");
            }
        }
        int flags = PgBinary.int32(message, SIGNATURE.length);
        if ((flags & FLAG_WITH_OIDS) != 0) {
            throw new IllegalStateException("binary COPY data with row OIDs");
        }
        int extension = PgBinary.int32(message, SIGNATURE.length + 4);
        return SIGNATURE.length + 8 + extension;
    }

    private static void checkConsumed(byte[] message, int at) {
        if (at != message.length) {
            throw new IllegalStateException(
                    "COPY message of " + message.length + " bytes holds more than one row (" + at + " bytes decoded)");
        }
    }
}
