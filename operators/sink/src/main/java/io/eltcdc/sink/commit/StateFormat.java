package io.eltcdc.sink.commit;

import io.eltcdc.model.TableId;
import io.eltcdc.model.serde.StateFormats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the sink's state formats have in common. Each format is a {@link SimpleVersionedSerializer}
 * whose bytes begin with a magic number of its own; Flink keeps the version beside the bytes.
 *
 * <ul>
 *   <li>A version or magic number that is not the serializer's fails the restore with a message
 *       that names the state; nothing is guessed.
 *   <li>File committables are written with the FileSink's serializer, each with that serializer's
 *       version, so a newer FileSink still reads them.
 *   <li>Every byte is read: bytes left over fail the restore too.
 *   <li>A change to a format is a new version, with a fixture of its bytes in the tests.
 * </ul>
 *
 * Public for the serializers of this module's packages only.
 */
@Internal
public final class StateFormat {
    private StateFormat() {}

    /** Fails unless {@code version} is the one version of {@code state} this build reads. */
    public static void checkVersion(int version, int supported, String state) throws IOException {
        if (version != supported) {
            throw StateFormats.unknownVersion(state, version, supported, supported);
        }
    }

    /** Fails unless {@code version} is one of the versions {@code oldest} to {@code newest} of {@code state}. */
    public static void checkVersion(int version, int oldest, int newest, String state) throws IOException {
        if (version < oldest || version > newest) {
            throw StateFormats.unknownVersion(state, version, oldest, newest);
        }
    }

    public static void writeFiles(
            SimpleVersionedSerializer<FileSinkCommittable> serializer,
            List<FileSinkCommittable> files,
            DataOutputView out)
            throws IOException {
        out.writeInt(files.size());
        for (FileSinkCommittable file : files) {
            SimpleVersionedSerialization.writeVersionAndSerialize(serializer, file, out);
        }
    }

    public static List<FileSinkCommittable> readFiles(
            SimpleVersionedSerializer<FileSinkCommittable> serializer, DataInputView in) throws IOException {
        int n = in.readInt();
        List<FileSinkCommittable> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            files.add(SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, in));
        }
        return files;
    }

    public static void writeTable(TableId table, DataOutputView out) throws IOException {
        out.writeUTF(table.schema());
        out.writeUTF(table.table());
    }

    public static TableId readTable(DataInputView in) throws IOException {
        return new TableId(in.readUTF(), in.readUTF());
    }

    public static void writeTables(List<TableId> tables, DataOutputView out) throws IOException {
        out.writeInt(tables.size());
        for (TableId table : tables) {
            writeTable(table, out);
        }
    }

    public static List<TableId> readTables(DataInputView in) throws IOException {
        int n = in.readInt();
        List<TableId> tables = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tables.add(readTable(in));
        }
        return tables;
    }
}
