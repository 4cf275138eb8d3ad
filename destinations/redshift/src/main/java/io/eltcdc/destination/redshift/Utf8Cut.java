package io.eltcdc.destination.redshift;

/** Where to cut UTF-8 text so that it keeps at most a number of bytes and no character is split. */
final class Utf8Cut {
    private Utf8Cut() {}

    /** The largest length ≤ {@code maxBytes} at which {@code utf8} can be cut between two characters. */
    static int at(byte[] utf8, int maxBytes) {
        if (utf8.length <= maxBytes) {
            return utf8.length;
        }
        int cut = maxBytes;
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) { // utf8[cut] continues the character before it
            cut--;
        }
        return cut;
    }
}
