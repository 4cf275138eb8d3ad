package io.eltcdc.model.serde;

import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;

/**
 * What the checkpoint formats of the pipeline's own state share, after Flink's FileSink serializers:
 * Flink keeps a format's version beside its bytes, and the bytes begin with a magic number of the
 * format's own, so that bytes of anything else fail clearly instead of being read as garbage. An
 * unknown version, a wrong magic number or bytes left over fail the restore with a message that
 * names the state and what this build expected; nothing is guessed.
 */
public final class StateFormats {
    private StateFormats() {}

    /** Reads the magic number at the start of {@code state}'s bytes and fails unless it is {@code magic}. */
    public static void checkMagic(DataInput in, int magic, String state) throws IOException {
        int found;
        try {
            found = in.readInt();
        } catch (EOFException e) {
            throw new IOException(
                    String.format("cannot read %s: the bytes end before its magic number 0x%08x", state, magic), e);
        }
        if (found != magic) {
            throw new IOException(String.format(
                    "cannot read %s: magic number 0x%08x, expected 0x%08x (the bytes are not %s)",
                    state, found, magic, state));
        }
    }

    /** The failure for a version of {@code state} this build does not read: it reads {@code oldest} to {@code newest}. */
    public static IOException unknownVersion(String state, int version, int oldest, int newest) {
        return new IOException("cannot read " + state + " version " + version + ": this build reads "
                + (oldest == newest ? "version " + newest : "versions " + oldest + " to " + newest)
                + " (was the checkpoint or savepoint taken by another elt-cdc build?)");
    }

    /** Fails if bytes of {@code state} are left after reading it: they were not written in the version read. */
    public static void checkFullyRead(DataInputDeserializer in, String state) throws IOException {
        if (in.available() > 0) {
            throw new IOException("cannot read " + state + ": " + in.available() + " bytes left over");
        }
    }
}
