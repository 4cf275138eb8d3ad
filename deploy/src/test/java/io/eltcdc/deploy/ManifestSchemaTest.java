package io.eltcdc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eltcdc.deploy.Kustomizations.Build;
import io.eltcdc.deploy.Manifests.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest under {@code deploy/kubernetes/} against its schema, strictly: FlinkDeployments against
 * the CRD schema of flink-kubernetes-operator-api 1.10.0, the other kinds against kinds.schema.yaml; a
 * field the schema does not declare is an error. Also what each kustomization applies, and the checks
 * the operator makes on top of the schema ({@link OperatorRules}).
 */
class ManifestSchemaTest {
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final Schemas schemas = Schemas.get();

    @TestFactory
    Stream<DynamicTest> everyManifestMatchesItsSchema() {
        List<Manifest> manifests = Manifests.all();
        assertThat(manifests).extracting(Manifest::kind).contains("FlinkDeployment", "ConfigMap", "Secret");
        return manifests.stream()
                .map(m -> DynamicTest.dynamicTest(m.describe(), () -> {
                    assertThat(schemas.validate(m.node())).as(m.describe()).isEmpty();
                    if (!m.kind().equals("Kustomization")) {
                        assertThat(m.name())
                                .as(m.describe() + ": metadata.name")
                                .matches(DNS_SUBDOMAIN)
                                .hasSizeLessThan(254);
                    }
                }));
    }

    @Test
    void theCrdIsTheOperatorsFlinkDeployment() {
        assertThat(schemas.flinkDeploymentApiVersions).containsExactly("flink.apache.org/v1beta1");
        JsonNode spec = schemas.flinkDeploymentSchemaAsIs
                .path("properties")
                .path("spec")
                .path("properties");
        assertThat(spec.path("flinkVersion").path("enum").toString()).contains("v1_20");
        assertThat(spec.path("job")
                        .path("properties")
                        .path("upgradeMode")
                        .path("enum")
                        .toString())
                .contains("savepoint", "last-state");
    }

    @Test
    void everyFlinkDeploymentPassesTheOperatorsChecks() {
        List<Manifest> deployments = Manifests.ofKind(Manifests.all(), "FlinkDeployment");
        for (Manifest d : deployments) {
            if (!isPatch(d)) {
                assertThat(OperatorRules.check(d.node())).as(d.describe()).isEmpty();
            }
        }
    }

    /** {@code kubectl apply -k} of each kustomization: every resource valid, FlinkDeployments complete. */
    @Test
    void everyKustomizationBuildsValidResources() {
        List<Path> dirs = Manifests.files().stream()
                .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                .map(Path::getParent)
                .toList();
        assertThat(dirs).contains(Manifests.KUBERNETES, Manifests.KUBERNETES.resolve("last-state"));
        for (Path dir : dirs) {
            Build build = Kustomizations.build(dir);
            assertThat(build.resources()).as(dir.toString()).isNotEmpty();
            for (JsonNode resource : build.resources()) {
                String what = dir + ": " + resource.path("kind").asText() + " "
                        + resource.path("metadata").path("name").asText();
                assertThat(schemas.validate(resource)).as(what).isEmpty();
                if (resource.path("kind").asText().equals("FlinkDeployment")) {
                    assertThat(OperatorRules.check(resource)).as(what).isEmpty();
                }
                // The Secret template must never be applied over the real Secret.
                assertThat(resource.path("kind").asText()).as(what).isNotEqualTo("Secret");
            }
        }
        JsonNode lastState = Kustomizations.build(Manifests.KUBERNETES.resolve("last-state")).resources().stream()
                .filter(r -> r.path("kind").asText().equals("FlinkDeployment"))
                .findFirst()
                .orElseThrow();
        assertThat(lastState.path("spec").path("job").path("upgradeMode").asText())
                .isEqualTo("last-state");
        JsonNode base = Kustomizations.build(Manifests.KUBERNETES).resources().stream()
                .filter(r -> r.path("kind").asText().equals("FlinkDeployment"))
                .findFirst()
                .orElseThrow();
        assertThat(base.path("spec").path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
    }

    /** A manifest no kustomization applies must be one meant to be applied by hand. */
    @Test
    void everyManifestIsAppliedByAKustomizationOrByHand() {
        Set<Path> referenced = new HashSet<>();
        for (Path file : Manifests.files()) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                Build build = Kustomizations.build(file.getParent());
                referenced.addAll(build.resourceFiles());
                referenced.addAll(build.patchFiles());
                referenced.add(file);
            }
        }
        for (Path file : Manifests.files()) {
            if (!referenced.contains(file)) {
                for (Manifest m : Manifests.load(file)) {
                    assertThat(m.kind())
                            .as(m.describe() + " is in no kustomization.yaml: add it, or it must be the"
                                    + " Secret template or the drop-slot Job")
                            .isIn("Secret", "Job");
                }
            }
        }
    }

    @Test
    void theSecretTemplateHoldsOnlyPlaceholders() {
        for (Manifest secret : Manifests.ofKind(Manifests.all(), "Secret")) {
            assertThat(secret.node().has("data"))
                    .as(secret.describe() + ": use stringData placeholders")
                    .isFalse();
            secret.node()
                    .path("stringData")
                    .forEach(value ->
                            assertThat(value.asText()).as(secret.describe()).isEqualTo("CHANGE-ME"));
        }
    }

    // --- Negative cases: what the strict validation must refuse -------------------------------------

    @Test
    void aMisspeltSpecFieldFails() {
        ObjectNode d = deployment();
        ObjectNode spec = (ObjectNode) d.get("spec");
        spec.set("jobb", spec.remove("job"));
        assertThat(schemas.validate(d))
                .anySatisfy(e -> assertThat(e).contains("$.spec").contains("jobb"));
    }

    @Test
    void aMisspeltJobFieldFails() {
        ObjectNode d = deployment();
        ObjectNode job = (ObjectNode) d.get("spec").get("job");
        job.set("upgradeMod", job.remove("upgradeMode"));
        assertThat(schemas.validate(d))
                .anySatisfy(e -> assertThat(e).contains("$.spec.job").contains("upgradeMod"));
    }

    @Test
    void aWrongUpgradeModeFails() {
        ObjectNode d = deployment();
        ((ObjectNode) d.get("spec").get("job")).put("upgradeMode", "sometimes");
        assertThat(schemas.validate(d))
                .anySatisfy(
                        e -> assertThat(e).contains("$.spec.job.upgradeMode").contains("enumeration"));
    }

    @Test
    void aMisspeltFieldInsideThePodTemplateFails() {
        ObjectNode d = deployment();
        ObjectNode container = (ObjectNode) d.at("/spec/podTemplate/spec/containers/0");
        container.set("volumeMount", container.remove("volumeMounts"));
        assertThat(schemas.validate(d)).anySatisfy(e -> assertThat(e).contains("volumeMount"));

        ObjectNode d2 = deployment();
        ObjectNode valueFrom = (ObjectNode) d2.at("/spec/podTemplate/spec/containers/0/env/0/valueFrom");
        valueFrom.set("secretRef", valueFrom.remove("secretKeyRef"));
        assertThat(schemas.validate(d2)).anySatisfy(e -> assertThat(e).contains("secretRef"));
    }

    @Test
    void aNonStringFlinkConfigurationValueFails() {
        ObjectNode d = deployment();
        ((ObjectNode) d.at("/spec/flinkConfiguration")).put("taskmanager.numberOfTaskSlots", 2);
        assertThat(schemas.validate(d))
                .anySatisfy(e ->
                        assertThat(e).contains("taskmanager.numberOfTaskSlots").contains("string"));
        // What `taskmanager.numberOfTaskSlots: 2` and `: yes` (YAML 1.1) would give: the API server refuses both.
        JsonNode parsed = Manifests.parse("a: 2\nb: yes\nc: \"2\"\n");
        assertThat(parsed.get("a").isInt()).isTrue();
        assertThat(parsed.get("b").isBoolean()).isTrue();
        assertThat(parsed.get("c").isTextual()).isTrue();
    }

    @Test
    void anUnknownTopLevelFieldOrApiVersionFails() {
        ObjectNode d = deployment();
        d.set("specs", d.get("spec"));
        assertThat(schemas.validate(d)).anySatisfy(e -> assertThat(e).contains("specs"));

        ObjectNode v2 = deployment();
        v2.put("apiVersion", "flink.apache.org/v1");
        assertThat(schemas.validate(v2)).anySatisfy(e -> assertThat(e).contains("flink.apache.org/v1/FlinkDeployment"));

        ObjectNode metadata = deployment();
        ((ObjectNode) metadata.get("metadata")).put("nmae", "x");
        assertThat(schemas.validate(metadata)).anySatisfy(e -> assertThat(e).contains("nmae"));
    }

    @Test
    void aMisspeltFieldOfAnotherKindFails() {
        Manifest secret = Manifests.ofKind(Manifests.all(), "Secret").get(0);
        ObjectNode s = secret.copy();
        s.set("stringdata", s.remove("stringData"));
        assertThat(schemas.validate(s)).anySatisfy(e -> assertThat(e).contains("stringdata"));

        Manifest job = Manifests.ofKind(Manifests.all(), "Job").get(0);
        ObjectNode j = job.copy();
        ((ObjectNode) j.at("/spec/template/spec")).put("restartPolicyy", "Never");
        assertThat(schemas.validate(j)).anySatisfy(e -> assertThat(e).contains("restartPolicyy"));
    }

    @Test
    void duplicateKeysAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Manifests.parse("a: 1\na: 2\n"))
                .hasMessageContaining("duplicate key");
    }

    /** Why strictness is added: the CRD's schema as Kubernetes has it lets every misspelling through. */
    @Test
    void theCrdSchemaAloneAcceptsMisspellings() {
        ObjectNode d = deployment();
        ((ObjectNode) d.get("spec").get("job")).put("upgradeMod", "savepoint");
        ((ObjectNode) d.get("spec")).put("jobb", "x");
        assertThat(schemas.validateAsIs(d)).isEmpty();
        assertThat(schemas.validate(d)).hasSize(2);
    }

    @Test
    void theOperatorsChecksRefuseWhatTheSchemaAllows() {
        ObjectNode lastStateWithoutHa = deployment();
        ((ObjectNode) lastStateWithoutHa.at("/spec/job")).put("upgradeMode", "last-state");
        ((ObjectNode) lastStateWithoutHa.at("/spec/flinkConfiguration")).remove("high-availability.type");
        assertThat(schemas.validate(lastStateWithoutHa)).isEmpty();
        assertThat(OperatorRules.check(lastStateWithoutHa))
                .anySatisfy(e -> assertThat(e).contains("last-state"));

        // Flink 1.20's name for the savepoint folder alone: operator 1.10 (Flink 1.19) does not know it.
        ObjectNode newKeyOnly = deployment();
        ObjectNode conf = (ObjectNode) newKeyOnly.at("/spec/flinkConfiguration");
        conf.set("execution.checkpointing.savepoint-dir", conf.remove(OperatorRules.SAVEPOINTS_DIR));
        assertThat(OperatorRules.check(newKeyOnly))
                .anySatisfy(e -> assertThat(e).contains(OperatorRules.SAVEPOINTS_DIR));

        ObjectNode longName = deployment();
        ((ObjectNode) longName.get("metadata")).put("name", "elt-cdc-" + "x".repeat(40));
        assertThat(OperatorRules.check(longName)).anySatisfy(e -> assertThat(e).contains("45 characters"));

        ObjectNode k8sMemory = deployment();
        ((ObjectNode) k8sMemory.at("/spec/taskManager/resource")).put("memory", "4 gigs");
        assertThat(OperatorRules.check(k8sMemory))
                .anySatisfy(e -> assertThat(e).contains("taskManager.resource.memory"));
    }

    /** A copy of the savepoint FlinkDeployment. */
    static ObjectNode deployment() {
        List<Manifest> all = Manifests.all();
        List<Manifest> full = new ArrayList<>();
        for (Manifest m : Manifests.ofKind(all, "FlinkDeployment")) {
            if (!isPatch(m)) {
                full.add(m);
            }
        }
        assertThat(full).hasSize(1);
        return full.get(0).copy();
    }

    /** Documents of a file that a kustomization uses as a patch (partial on purpose). */
    static boolean isPatch(Manifest m) {
        Path dir = m.file().getParent();
        Path kustomization = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(kustomization)) {
            return false;
        }
        return Kustomizations.build(dir).patchFiles().contains(m.file());
    }
}
