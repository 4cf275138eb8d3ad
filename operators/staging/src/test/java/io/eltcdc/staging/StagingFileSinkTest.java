package io.eltcdc.staging;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.testing.SampleRecords;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Records of several tables and schema versions through the staging FileSink, read back from the files. */
class StagingFileSinkTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    @Test
    void everyRecordLandsInItsTableAndVersionBucketWithEqualValues() throws Exception {
        TableSchema allTypes = SampleRecords.allTypesTable();
        TableId events = new TableId("public", "events");
        TableSchema v1 = new TableSchema(events, List.of(Column.of("id", ColumnType.INT64)), List.of("id"));
        TableSchema v2 = new TableSchema(
                events,
                List.of(Column.of("id", ColumnType.INT64), Column.of("note", ColumnType.STRING)),
                List.of("id"));
        List<ChangeRecord> records = new ArrayList<>();
        for (Object[] row : SampleRecords.allTypesRows()) {
            records.add(new ChangeRecord(allTypes, Op.READ, Position.SNAPSHOT, row));
        }
        for (long i = 0; i < 3000; i++) {
            records.add(new ChangeRecord(v1, Op.READ, Position.SNAPSHOT, new Object[] {i}));
            records.add(new ChangeRecord(v2, Op.INSERT, new Position(1, i), new Object[] {i, "note " + i}));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.getConfig().enableObjectReuse();
        // 4 KiB parts: the 6,000 event records must be spread over several rolled files.
        StagingOptions options = new StagingOptions(
                dir.toUri().toString(), 4096, Duration.ofMinutes(1), Duration.ofMinutes(1), "deflate");
        env.fromData(ChangeRecordTypeInfo.INSTANCE, records.toArray(new ChangeRecord[0]))
                .sinkTo(StagingFileSink.build(options));
        env.execute();

        List<Path> files = committedFiles();
        assertThat(files.stream()
                        .map(f -> dir.relativize(f.getParent()).toString())
                        .distinct())
                .containsExactlyInAnyOrder(
                        TableBucketAssigner.bucketOf(allTypes.id(), allTypes.version()),
                        TableBucketAssigner.bucketOf(events, v1.version()),
                        TableBucketAssigner.bucketOf(events, v2.version()));
        assertThat(files.size()).isGreaterThan(4);

        List<String> expected =
                records.stream().map(StagingFileSinkTest::describe).sorted().toList();
        List<String> actual = new ArrayList<>();
        for (Path file : files) {
            actual.addAll(read(file.toFile()));
        }
        actual.sort(null);
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private List<Path> committedFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            // In-progress and pending files are hidden (leading dot); committed ones are not.
            return walk.filter(p -> p.getFileName().toString().endsWith(".avro")
                            && !p.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    private static List<String> read(File file) throws Exception {
        List<String> out = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file, new GenericDatumReader<>())) {
            TableSchema schema = AvroSchemas.fromAvro(reader.getSchema());
            for (GenericRecord r : reader) {
                Object[] values = new Object[schema.columns().size()];
                for (int i = 0; i < values.length; i++) {
                    Column c = schema.columns().get(i);
                    values[i] = AvroValues.fromAvro(c, r.get(i));
                }
                out.add(describe(new ChangeRecord(
                        schema,
                        Op.valueOf(r.get(AvroSchemas.OP_FIELD).toString()),
                        AvroValues.positionFromAvro(r.get(AvroSchemas.POSITION_FIELD)),
                        values)));
            }
        }
        return out;
    }

    private static String describe(ChangeRecord r) {
        return r.table() + "@" + r.schemaVersion() + " " + r.op() + " " + r.position() + " "
                + Arrays.deepToString(Arrays.stream(r.values())
                        .map(v -> v instanceof byte[] b ? Arrays.toString(b) : v)
                        .toArray());
    }
}
