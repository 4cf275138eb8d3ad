package io.eltcdc.sink;

import io.eltcdc.model.TableId;
import io.eltcdc.staging.StagingFileSink;
import io.eltcdc.staging.TableBucketAssigner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedInProgressFileRecoverable;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputStreamBasedPartFileWriter.OutputStreamBasedPendingFileRecoverable;

/**
 * The binary fixtures of the sink's state formats, in {@code src/test/resources/io/eltcdc/sink/},
 * named {@code <state>-v<version>.bin}: the bytes a serializer's version wrote, with the version
 * in front as Flink keeps it ({@code SimpleVersionedSerialization.writeVersionAndSerialize}).
 *
 * <p>A fixture is written once, when its version is new, by the {@code main} method of the state's
 * test class, and never rewritten: the test then proves that later builds still read it. To write
 * the fixture of a new version (from the repository's root; the method refuses to overwrite):
 *
 * <pre>
 * mvn -B -o -q -pl operators/sink -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/sink-cp.txt -Dmdep.includeScope=test
 * java -cp operators/sink/target/test-classes:operators/sink/target/classes:$(cat /tmp/sink-cp.txt) \
 *     io.eltcdc.sink.commit.StagedBatchSerializerTest operators/sink/src/test/resources/io/eltcdc/sink
 * </pre>
 *
 * (or {@code io.eltcdc.sink.aggregate.AggregatorStateSerializerTest}). The files in the fixtures are real local FileSink files (their recoverables are what the staging
 * FileSink writes), made under {@link #FILES_DIR} while the fixture is written.
 */
public final class StateFixtures {
    /** Where the fixtures' staged files were made; their paths in the fixtures are under it. */
    public static final String FILES_DIR = "/tmp/elt-cdc-sink-fixtures";

    private StateFixtures() {}

    /** The staging FileSink's committable serializer, as the sink's serializers get it. */
    public static SimpleVersionedSerializer<FileSinkCommittable> fileSerializer() {
        return StagingFileSink.build(StagingFileSink.defaults("file://" + FILES_DIR))
                .getCommittableSerializer();
    }

    public static byte[] read(String fixture) throws IOException {
        try (InputStream in = StateFixtures.class.getResourceAsStream(fixture)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + fixture + " is missing: write it with the main method of"
                        + " its test class (see StateFixtures)");
            }
            return in.readAllBytes();
        }
    }

    /** The serialized bytes without the version and length Flink writes in front. */
    public static byte[] payload(byte[] fixture) {
        return java.util.Arrays.copyOfRange(fixture, 8, fixture.length);
    }

    /** A committable the way assertions read it: bucket, kind, path and size. */
    public static String describe(FileSinkCommittable file) {
        if (file.hasPendingFile()) {
            return file.getBucketId() + " pending " + file.getPendingFile().getPath() + " "
                    + file.getPendingFile().getSize();
        }
        if (file.hasInProgressFileToCleanup()) {
            return file.getBucketId() + " clean-up "
                    + file.getInProgressFileToCleanup().getPath();
        }
        return file.getBucketId() + " compacted " + file.getCompactedFileToCleanup();
    }

    public static List<String> describe(List<FileSinkCommittable> files) {
        return files.stream().map(StateFixtures::describe).toList();
    }

    /** A finished file of the table, with {@code size} bytes, ready to be committed. */
    public static FileSinkCommittable pendingFile(TableId table, String name, int size) throws IOException {
        String bucket = TableBucketAssigner.bucketOf(table, "v1");
        Path target = new Path("file://" + FILES_DIR + "/" + bucket + "/" + name);
        RecoverableWriter writer = FileSystem.getLocalFileSystem().createRecoverableWriter();
        RecoverableFsDataOutputStream out = writer.open(target);
        out.write(new byte[size]);
        RecoverableWriter.CommitRecoverable committable = out.closeForCommit().getRecoverable();
        return new FileSinkCommittable(bucket, new OutputStreamBasedPendingFileRecoverable(committable, target, size));
    }

    /** An in-progress file of the table that the committer cleans up (nothing to load). */
    public static FileSinkCommittable inProgressFile(TableId table, String name) throws IOException {
        String bucket = TableBucketAssigner.bucketOf(table, "v1");
        Path target = new Path("file://" + FILES_DIR + "/" + bucket + "/" + name);
        RecoverableWriter writer = FileSystem.getLocalFileSystem().createRecoverableWriter();
        RecoverableFsDataOutputStream out = writer.open(target);
        out.write(new byte[16]);
        RecoverableWriter.ResumeRecoverable resumable = out.persist();
        out.close();
        return new FileSinkCommittable(bucket, new OutputStreamBasedInProgressFileRecoverable(resumable, target));
    }

    /** A fixture generator's body: writes the fixture into {@code args[0]}, never over an existing one. */
    public interface Generator {
        byte[] fixtureBytes() throws IOException;
    }

    public static void writeOnce(String[] args, String fixture, Generator generator) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: <test class> DIR   (DIR: operators/sink/src/test/resources/io/eltcdc/sink);"
                    + " writes " + fixture + " once, for a new format version; see StateFixtures");
            System.exit(2);
        }
        java.nio.file.Path file = java.nio.file.Path.of(args[0], fixture);
        if (Files.exists(file)) {
            System.err.println(file + " exists: fixtures are written once. A changed format is a new version,"
                    + " with a new fixture; the fixtures of earlier versions stay.");
            System.exit(1);
        }
        java.nio.file.Path files = java.nio.file.Path.of(FILES_DIR);
        try {
            Files.write(file, generator.fixtureBytes());
        } finally {
            deleteTree(files);
        }
        System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
    }

    private static void deleteTree(java.nio.file.Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<java.nio.file.Path> paths = Files.walk(dir)) {
            for (java.nio.file.Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
