package io.eltcdc.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes/}: every YAML file, every document in it.
 *
 * <p>YAML is read with SnakeYAML's YAML 1.1 rules, as kubectl reads it ({@code yes}, {@code on} are
 * booleans there too), refusing duplicate keys; documents become Jackson trees for the schema validator.
 */
final class Manifests {
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code deploy/}: the module's folder (Surefire runs in it; {@code basedir} says so too). */
    static final Path MODULE =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    static final Path KUBERNETES = MODULE.resolve("kubernetes");

    private Manifests() {}

    /** One YAML document of a file. */
    record Manifest(Path file, int index, JsonNode node) {
        String apiVersion() {
            return node.path("apiVersion").asText("");
        }

        String kind() {
            return node.path("kind").asText("");
        }

        String name() {
            return node.path("metadata").path("name").asText("");
        }

        /** e.g. {@code flinkdeployment.yaml#1 FlinkDeployment elt-cdc-shop}, for messages. */
        String describe() {
            return KUBERNETES.relativize(file) + "#" + (index + 1) + " " + kind() + " " + name();
        }

        /** A deep copy, for tests that change it. */
        ObjectNode copy() {
            return (ObjectNode) node.deepCopy();
        }
    }

    /** Every YAML file under {@code deploy/kubernetes}, sorted. */
    static List<Path> files() {
        try (Stream<Path> walk = Files.walk(KUBERNETES)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of every file (empty documents are skipped). */
    static List<Manifest> all() {
        List<Manifest> out = new ArrayList<>();
        for (Path file : files()) {
            out.addAll(load(file));
        }
        return out;
    }

    static List<Manifest> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Manifest> out = new ArrayList<>();
        int index = 0;
        for (JsonNode doc : parseAll(text)) {
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                out.add(new Manifest(file, index, doc));
            }
            index++;
        }
        return out;
    }

    /** The documents of a YAML text as trees; an empty document is a null element. */
    static List<JsonNode> parseAll(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        Iterator<Object> it = yaml().loadAll(yaml).iterator();
        while (it.hasNext()) {
            Object doc = it.next();
            docs.add(doc == null ? null : JSON.valueToTree(doc));
        }
        return docs;
    }

    /** A single-document YAML text as a tree. */
    static JsonNode parse(String yaml) {
        Object doc = yaml().load(yaml);
        return JSON.valueToTree(doc == null ? Map.of() : doc);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    /** The one manifest of {@code kind} named {@code name}. */
    static Manifest one(List<Manifest> manifests, String kind, String name) {
        List<Manifest> found = manifests.stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(
                    "expected one " + kind + " " + name + " under " + KUBERNETES + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The manifests of {@code kind}. */
    static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }
}
