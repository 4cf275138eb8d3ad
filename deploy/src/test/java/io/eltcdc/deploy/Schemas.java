package io.eltcdc.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict schemas for the manifests: the FlinkDeployment CRD's OpenAPI v3 schema from the operator's
 * API jar, and hand-written ones for the few core kinds used beside it ({@code kinds.schema.yaml}).
 *
 * <p>Kubernetes structural schemas do not say {@code additionalProperties: false}; the API server
 * drops (prunes) fields a schema does not declare, silently, and the operator's model classes ignore
 * them too, so a misspelt field would simply not take effect. {@link #strict} therefore adds
 * {@code additionalProperties: false} to every object schema that declares neither
 * {@code additionalProperties} (a map) nor {@code x-kubernetes-preserve-unknown-fields: true}: a field
 * the schema does not declare is an error.
 */
final class Schemas {
    /** The CRD inside {@code org.apache.flink:flink-kubernetes-operator-api}. */
    static final String CRD_RESOURCE = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

    /**
     * Draft 4 (the JSON Schema dialect OpenAPI v3 schemas are based on) plus the Kubernetes extension
     * keywords that do not constrain values. Any other unknown keyword is an error when a schema loads,
     * so a CRD of a later operator that uses, say, CEL validation rules cannot be checked half-way.
     */
    private static final JsonMetaSchema OPENAPI_V3 = JsonMetaSchema.builder(
                    JsonMetaSchema.getV4().getIri(), JsonMetaSchema.getV4())
            .keyword(new NonValidationKeyword("x-kubernetes-int-or-string"))
            .keyword(new NonValidationKeyword(PRESERVE_UNKNOWN))
            .keyword(new NonValidationKeyword("x-kubernetes-list-type"))
            .keyword(new NonValidationKeyword("x-kubernetes-list-map-keys"))
            .keyword(new NonValidationKeyword("x-kubernetes-map-type"))
            .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
            .build();

    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b.metaSchema(OPENAPI_V3));

    private static Schemas instance;

    final JsonNode crd;
    /** e.g. {@code flink.apache.org/v1beta1}: the served versions of the CRD. */
    final List<String> flinkDeploymentApiVersions = new ArrayList<>();
    /** The CRD's openAPIV3Schema as it is (not strict). */
    final JsonNode flinkDeploymentSchemaAsIs;
    /** Keyed by {@code apiVersion + "/" + kind}. */
    private final Map<String, JsonSchema> strictSchemas = new LinkedHashMap<>();

    private Schemas() {
        crd = crd();
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        if (!"FlinkDeployment".equals(kind)) {
            throw new IllegalStateException(CRD_RESOURCE + " defines " + kind + ", not FlinkDeployment");
        }
        JsonNode schema = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("served").asBoolean()) {
                flinkDeploymentApiVersions.add(
                        group + "/" + version.path("name").asText());
                if (version.path("storage").asBoolean()) {
                    schema = version.path("schema").path("openAPIV3Schema");
                }
            }
        }
        if (schema == null || !schema.isObject()) {
            throw new IllegalStateException(CRD_RESOURCE + " has no openAPIV3Schema for its storage version");
        }
        flinkDeploymentSchemaAsIs = schema;

        JsonNode podTemplate =
                schema.path("properties").path("spec").path("properties").path("podTemplate");
        JsonNode objectMeta = podTemplate.path("properties").path("metadata");
        if (!objectMeta.path("properties").has("name")
                || !podTemplate.path("properties").path("spec").isObject()) {
            throw new IllegalStateException("the CRD's spec.podTemplate is not a full Pod schema any more: "
                    + "ObjectMeta and PodSpec must come from elsewhere");
        }
        ObjectNode podTemplateSpec = NODES.objectNode().put("type", "object");
        podTemplateSpec
                .putObject("properties")
                .<ObjectNode>set("metadata", objectMeta.deepCopy())
                .set("spec", podTemplate.path("properties").path("spec").deepCopy());

        for (String apiVersion : flinkDeploymentApiVersions) {
            strictSchemas.put(
                    apiVersion + "/" + kind, compile(strict(withTypeMeta(schema, apiVersion, kind, objectMeta))));
        }

        JsonNode kinds = Manifests.parse(resource("kinds.schema.yaml"));
        for (Iterator<Map.Entry<String, JsonNode>> it = kinds.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int slash = e.getKey().lastIndexOf('/');
            JsonNode body = substitute(e.getValue().deepCopy(), objectMeta, podTemplateSpec);
            strictSchemas.put(
                    e.getKey(),
                    compile(strict(withTypeMeta(
                            body, e.getKey().substring(0, slash), e.getKey().substring(slash + 1), objectMeta))));
        }
    }

    static synchronized Schemas get() {
        if (instance == null) {
            instance = new Schemas();
        }
        return instance;
    }

    /** The known {@code apiVersion/kind} pairs. */
    List<String> kinds() {
        return List.copyOf(strictSchemas.keySet());
    }

    /** The errors of {@code manifest} against the strict schema of its apiVersion and kind. */
    List<String> validate(JsonNode manifest) {
        String key = manifest.path("apiVersion").asText("") + "/"
                + manifest.path("kind").asText("");
        JsonSchema schema = strictSchemas.get(key);
        if (schema == null) {
            return List.of("no schema for apiVersion/kind " + key + " (known: " + strictSchemas.keySet() + ")");
        }
        return messages(schema.validate(manifest));
    }

    /** The errors of {@code manifest} against the CRD's schema as Kubernetes has it (not strict). */
    List<String> validateAsIs(JsonNode manifest) {
        return messages(compile(flinkDeploymentSchemaAsIs).validate(manifest));
    }

    private static List<String> messages(java.util.Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonSchema compile(JsonNode schema) {
        return FACTORY.getSchema(schema);
    }

    /**
     * A copy of {@code schema} in which every object schema without {@code additionalProperties} and
     * without {@code x-kubernetes-preserve-unknown-fields: true} gets {@code additionalProperties: false}.
     */
    static JsonNode strict(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        tighten(copy);
        return copy;
    }

    private static void tighten(JsonNode node) {
        if (!node.isObject()) {
            return;
        }
        ObjectNode schema = (ObjectNode) node;
        boolean object = "object".equals(schema.path("type").asText()) || schema.has("properties");
        if (object
                && !schema.has("additionalProperties")
                && !schema.path(PRESERVE_UNKNOWN).asBoolean(false)) {
            schema.put("additionalProperties", false);
        }
        for (JsonNode property : schema.path("properties")) {
            tighten(property);
        }
        if (schema.path("additionalProperties").isObject()) {
            tighten(schema.get("additionalProperties"));
        }
        if (schema.path("items").isObject()) {
            tighten(schema.get("items"));
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                tighten(branch);
            }
        }
        if (schema.path("not").isObject()) {
            tighten(schema.get("not"));
        }
    }

    /**
     * {@code body} plus apiVersion, kind and metadata, which a CRD's schema leaves to the API server
     * (and which it checks against ObjectMeta).
     */
    private static JsonNode withTypeMeta(JsonNode body, String apiVersion, String kind, JsonNode objectMeta) {
        ObjectNode schema = body.deepCopy();
        schema.put("type", "object");
        ObjectNode properties =
                schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        properties
                .putObject("apiVersion")
                .put("type", "string")
                .putArray("enum")
                .add(apiVersion);
        properties.putObject("kind").put("type", "string").putArray("enum").add(kind);
        if (!kind.equals("Kustomization")) {
            properties.set("metadata", objectMeta.deepCopy());
        }
        ArrayNode required = schema.has("required") ? (ArrayNode) schema.get("required") : schema.putArray("required");
        required.add("apiVersion").add("kind");
        return schema;
    }

    /** Replaces {@code {x-elt-object-meta: true}} and {@code {x-elt-pod-template-spec: true}} nodes. */
    private static JsonNode substitute(JsonNode node, JsonNode objectMeta, JsonNode podTemplateSpec) {
        if (node.isObject()) {
            if (node.has("x-elt-object-meta")) {
                return objectMeta.deepCopy();
            }
            if (node.has("x-elt-pod-template-spec")) {
                return podTemplateSpec.deepCopy();
            }
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, substitute(object.get(name), objectMeta, podTemplateSpec));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substitute(array.get(i), objectMeta, podTemplateSpec));
            }
        }
        return node;
    }

    private static JsonNode crd() {
        JsonNode crd = Manifests.parse(resource(CRD_RESOURCE));
        if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
            throw new IllegalStateException(CRD_RESOURCE + " is not a CustomResourceDefinition");
        }
        return crd;
    }

    private static String resource(String name) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test class path (for the CRD: is "
                        + "org.apache.flink:flink-kubernetes-operator-api a test dependency?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
