package io.eltcdc.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What jars hold, and a destination split out of the cluster jar into a jar of its own. */
final class ClusterJars {
    static final String PROVIDERS = "META-INF/services/io.eltcdc.destination.DestinationProvider";

    private ClusterJars() {}

    /** The class files of {@code jar} (multi-release versions and module descriptors left out). */
    static Set<String> classes(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class")
                            && !n.startsWith("META-INF/versions/")
                            && !n.endsWith("module-info.class"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static Set<String> entries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Class file → the name of the jar of {@code folder} that holds it. */
    static Map<String, String> classesOfFolder(Path folder) throws IOException {
        Map<String, String> byClass = new TreeMap<>();
        try (Stream<Path> jars = Files.list(folder)) {
            for (Path jar :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                for (String c : classes(jar)) {
                    byClass.putIfAbsent(c, jar.getFileName().toString());
                }
            }
        }
        return byClass;
    }

    /** The providers {@code jar} registers. */
    static List<String> providers(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(PROVIDERS);
            if (entry == null) {
                return List.of();
            }
            return providerLines(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static List<String> providerLines(String file) {
        return file.lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    /**
     * @param core the cluster jar without the destination
     * @param destination the destination's classes and its provider registration: a jar built the way
     *     the warehouse jars of dist/ are
     */
    record Split(Path core, Path destination) {}

    /**
     * Moves the classes under {@code folder} (e.g. {@code io/eltcdc/destination/s3/}) and their
     * provider registration out of a copy of {@code jar} into a jar of their own. The copy's other
     * entries are copied as they are, without being compressed again.
     */
    static Split splitOut(Path jar, String folder, Path dir) throws IOException {
        String name = Path.of(folder).getFileName().toString();
        Path core = dir.resolve("elt-cdc-cluster-without-" + name + ".jar");
        Path destination = dir.resolve("elt-cdc-" + name + ".jar");
        Files.copy(jar, core);
        String packageName = folder.replace('/', '.');
        List<String> moved = new ArrayList<>();
        try (FileSystem from = FileSystems.newFileSystem(core);
                FileSystem to =
                        FileSystems.newFileSystem(URI.create("jar:" + destination.toUri()), Map.of("create", "true"))) {
            Path root = from.getPath("/" + folder);
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(root)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : paths) {
                if (Files.isRegularFile(p)) {
                    Path target = to.getPath(p.toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
                Files.delete(p);
            }
            Path providers = from.getPath("/" + PROVIDERS);
            List<String> kept = new ArrayList<>();
            for (String line : providerLines(Files.readString(providers))) {
                (line.startsWith(packageName) ? moved : kept).add(line);
            }
            Files.writeString(providers, String.join("\n", kept) + "\n");
            Path registration = to.getPath("/" + PROVIDERS);
            Files.createDirectories(registration.getParent());
            Files.writeString(registration, String.join("\n", moved) + "\n");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (moved.isEmpty()) {
            throw new IllegalStateException(jar + " registers no provider under " + folder);
        }
        return new Split(core, destination);
    }
}
