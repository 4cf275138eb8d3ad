package io.eltcdc.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eltcdc.deploy.Manifests.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code kubectl apply -k DIR} would apply, for the subset of kustomize the manifests use:
 * {@code resources} (files, or folders with a kustomization.yaml) and {@code patches} with a
 * {@code path} and a {@code target} (kind, name, optionally group and version), applied as a JSON
 * merge patch (RFC 7386; kustomize's strategic merge is the same for a custom resource's fields).
 * {@code kinds.schema.yaml} allows no other field in a Kustomization, so nothing is silently skipped.
 */
final class Kustomizations {
    private Kustomizations() {}

    /** The result of one kustomization: the documents it applies and the files it read. */
    record Build(List<JsonNode> resources, Set<Path> resourceFiles, Set<Path> patchFiles) {}

    static Build build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(dir + " has no kustomization.yaml");
        }
        JsonNode kustomization = Manifests.load(file).get(0).node();
        List<JsonNode> resources = new ArrayList<>();
        Set<Path> resourceFiles = new LinkedHashSet<>();
        Set<Path> patchFiles = new LinkedHashSet<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                Build base = build(path);
                base.resources().forEach(r -> resources.add(r.deepCopy()));
                resourceFiles.addAll(base.resourceFiles());
                patchFiles.addAll(base.patchFiles());
            } else if (Files.isRegularFile(path)) {
                Manifests.load(path).forEach(m -> resources.add(m.node().deepCopy()));
                resourceFiles.add(path);
            } else {
                throw new AssertionError(file + ": resource " + entry.asText() + " does not exist");
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            Path path = dir.resolve(patch.path("path").asText()).normalize();
            if (!Files.isRegularFile(path)) {
                throw new AssertionError(file + ": patch " + patch.path("path").asText() + " does not exist");
            }
            patchFiles.add(path);
            List<Manifest> docs = Manifests.load(path);
            if (docs.size() != 1) {
                throw new AssertionError(path + ": expected one patch document, found " + docs.size());
            }
            JsonNode target = patch.path("target");
            int applied = 0;
            for (int i = 0; i < resources.size(); i++) {
                if (matches(resources.get(i), target)) {
                    resources.set(i, merge(resources.get(i), docs.get(0).node()));
                    applied++;
                }
            }
            if (applied == 0) {
                throw new AssertionError(
                        file + ": patch " + path.getFileName() + " matches no resource (target " + target + ")");
            }
        }
        return new Build(resources, resourceFiles, patchFiles);
    }

    private static boolean matches(JsonNode resource, JsonNode target) {
        String apiVersion = resource.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return resource.path("kind").asText().equals(target.path("kind").asText())
                && resource.path("metadata")
                        .path("name")
                        .asText()
                        .equals(target.path("name").asText())
                && (!target.has("group") || group.equals(target.path("group").asText()))
                && (!target.has("version")
                        || version.equals(target.path("version").asText()));
    }

    /** RFC 7386 JSON merge patch: objects merge key by key, null removes, anything else replaces. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? (ObjectNode) target.deepCopy()
                : Manifests.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
