package io.eltcdc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Binary fixtures of checkpointed state: bytes a serializer wrote, committed beside the test that
 * restores them, so that a changed format cannot go unnoticed. A fixture is written once, by the
 * {@code main} method of its test class and never by a test; an existing fixture is never
 * overwritten: a changed format is a new version with a fixture of its own, and the fixtures of
 * earlier versions stay (they are what old checkpoints hold).
 *
 * <p>To write the fixtures of a new version (the module's classes compiled, from the repository's
 * root; {@code MODULE} e.g. {@code operators/source}):
 *
 * <pre>
 * mvn -B -o -q -pl MODULE -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp MODULE/target/test-classes:MODULE/target/classes:$(cat /tmp/cp.txt) TEST_CLASS MODULE/src/test/resources
 * </pre>
 */
public final class BinaryFixtures {
    private BinaryFixtures() {}

    /** The fixture {@code name} in the test resources of {@code testClass}'s package. */
    public static byte[] read(Class<?> testClass, String name) {
        try (InputStream in = testClass.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name + " beside " + testClass.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as Flink stores it in a checkpoint: the serializer's version, the length, the bytes. */
    public static <T> byte[] versioned(SimpleVersionedSerializer<T> serializer, T value) throws IOException {
        return SimpleVersionedSerialization.writeVersionAndSerialize(serializer, value);
    }

    /** The value of a fixture written by {@link #versioned}, read with the version the fixture names. */
    public static <T> T restore(SimpleVersionedSerializer<T> serializer, byte[] fixture) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, fixture);
    }

    /** The serializer's own bytes in a fixture written by {@link #versioned}, without version and length. */
    public static byte[] payload(byte[] fixture) {
        return Arrays.copyOfRange(fixture, 2 * Integer.BYTES, fixture.length);
    }

    /**
     * For a test class's {@code main}: writes each of {@code fixtures} that does not exist yet into
     * {@code args[0]} (the module's {@code src/test/resources}), under the test class's package.
     */
    public static void writeOnce(String[] args, Class<?> testClass, Map<String, byte[]> fixtures) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: " + testClass.getName() + " MODULE/src/test/resources (see "
                    + BinaryFixtures.class.getName() + ")");
            System.exit(2);
        }
        Path dir = Path.of(args[0], testClass.getPackageName().replace('.', '/'));
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> fixture : fixtures.entrySet()) {
            Path file = dir.resolve(fixture.getKey());
            if (Files.exists(file)) {
                System.err.println(file + " exists, left as it is: a fixture is written once. A changed format"
                        + " is a new version, with a fixture of its own.");
            } else {
                Files.write(file, fixture.getValue());
                System.err.println("wrote " + file + " (" + fixture.getValue().length + " bytes)");
            }
        }
    }
}
