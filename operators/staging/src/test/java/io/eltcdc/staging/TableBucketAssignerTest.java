package io.eltcdc.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableId;
import io.eltcdc.testing.BinaryFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket ids are safe paths that give their table back, also when restored from a checkpoint: the
 * fixture {@value #FIXTURE} holds a bucket id as FileSink's writer state holds it (Flink's string
 * serializer, version 1), written once by {@link #main}.
 */
class TableBucketAssignerTest {
    static final String FIXTURE = "bucket-id-v1.bin";
    private static final TableId ODD_TABLE = new TableId("Some Schema", "Odd.Table/ü ~%");
    private static final String ODD_BUCKET = "Some~20Schema.Odd~2ETable~2F~C3~BC~20~7E~25/v1234abcd";

    private final SimpleVersionedSerializer<String> serializer = new TableBucketAssigner().getSerializer();

    @Test
    void bucketIdsAreSafePathsAndGiveTheTableBack() {
        for (TableId table : new TableId[] {
            new TableId("public", "orders"),
            new TableId("hidden", "Odd Table"),
            new TableId("a.b", "c/d"),
            new TableId("ü", "%20~7E"),
            new TableId("..", "..")
        }) {
            String bucket = TableBucketAssigner.bucketOf(table, "v1234abcd");
            assertThat(bucket).matches("[A-Za-z0-9_~-]+\\.[A-Za-z0-9_~-]+/v1234abcd");
            assertThat(TableBucketAssigner.tableOf(bucket)).isEqualTo(table);
        }
    }

    @Test
    void restoresTheBucketIdOfTheFixtureAndItsTable() throws IOException {
        byte[] fixture = BinaryFixtures.read(getClass(), FIXTURE);

        String bucket = BinaryFixtures.restore(serializer, fixture);

        assertThat(bucket).isEqualTo(ODD_BUCKET);
        assertThat(TableBucketAssigner.tableOf(bucket)).isEqualTo(ODD_TABLE);
        assertThat(TableBucketAssigner.bucketOf(ODD_TABLE, "v1234abcd")).isEqualTo(bucket);
        assertThat(BinaryFixtures.versioned(serializer, bucket))
                .as("restored and written again")
                .isEqualTo(fixture);
    }

    @Test
    void theFileSinksWriterStateHoldsBucketIdsInTheFixturesForm(@TempDir Path dir) throws IOException {
        byte[] fixture = BinaryFixtures.read(getClass(), FIXTURE);
        SimpleVersionedSerializer<FileWriterBucketState> writerState = StagingFileSink.build(
                        StagingFileSink.defaults(dir.toUri().toString()))
                .getWriterStateSerializer();
        FileWriterBucketState state = new FileWriterBucketState(
                ODD_BUCKET, new org.apache.flink.core.fs.Path(dir.toUri() + ODD_BUCKET), 0, null);

        byte[] bytes = writerState.serialize(state);

        assertThat(Arrays.copyOfRange(bytes, Integer.BYTES, Integer.BYTES + fixture.length))
                .as("the writer state's bytes after its magic number: the bucket id")
                .isEqualTo(fixture);
        assertThat(writerState.deserialize(writerState.getVersion(), bytes).getBucketId())
                .isEqualTo(ODD_BUCKET);
    }

    @Test
    void refusesAnUnknownVersionAsFlinkDoes() {
        byte[] payload = BinaryFixtures.payload(BinaryFixtures.read(getClass(), FIXTURE));

        // Flink's message, which does not say what it reads: version 1.
        assertThatThrownBy(() -> serializer.deserialize(2, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("Unrecognized version or corrupt state: 2");
    }

    /** Writes {@value #FIXTURE} if it does not exist yet (see {@link BinaryFixtures}); no test runs it. */
    public static void main(String[] args) throws IOException {
        String bucket = TableBucketAssigner.bucketOf(ODD_TABLE, "v1234abcd");
        BinaryFixtures.writeOnce(
                args,
                TableBucketAssignerTest.class,
                Map.of(FIXTURE, BinaryFixtures.versioned(new TableBucketAssigner().getSerializer(), bucket)));
    }
}
