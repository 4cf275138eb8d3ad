package io.eltcdc.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.flink.configuration.MemorySize;

/**
 * The checks the Flink Kubernetes Operator 1.10 makes before it deploys a FlinkDeployment (its
 * {@code DefaultValidator}, run by its admission webhook and its reconciler), for what the schema
 * cannot say. The operator itself is not published as a library, so they are restated here, with the
 * configuration keys the operator reads: it is built on Flink 1.19, whose names for the checkpoint and
 * savepoint folders are {@code state.checkpoints.dir} and {@code state.savepoints.dir} (Flink 1.20's
 * {@code execution.checkpointing.dir} and {@code execution.checkpointing.savepoint-dir} are unknown to it).
 */
final class OperatorRules {
    private static final Pattern DEPLOYMENT_NAME = Pattern.compile("[a-z]([-a-z\\d]{0,43}[a-z\\d])?");
    private static final List<String> FORBIDDEN_KEYS =
            List.of("kubernetes.namespace", "kubernetes.cluster-id", "high-availability.cluster-id");
    static final String CHECKPOINTS_DIR = "state.checkpoints.dir";
    static final String SAVEPOINTS_DIR = "state.savepoints.dir";
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?([KMGTPE]i|[kMGTPE]|e[0-9]+)?");

    private OperatorRules() {}

    /** What the operator would refuse in {@code deployment}; empty when it would accept it. */
    static List<String> check(JsonNode deployment) {
        List<String> errors = new ArrayList<>();
        String name = deployment.path("metadata").path("name").asText("");
        if (!DEPLOYMENT_NAME.matcher(name).matches()) {
            errors.add("metadata.name " + name + ": lower case letters, digits and '-', starting with a letter,"
                    + " at most 45 characters");
        }
        JsonNode spec = deployment.path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        if (spec.path("flinkVersion").asText("").isEmpty()) {
            errors.add("spec.flinkVersion must be defined");
        }
        if (spec.path("serviceAccount").asText("").isEmpty()) {
            errors.add("spec.serviceAccount must be defined");
        }
        for (String key : FORBIDDEN_KEYS) {
            if (conf.has(key)) {
                errors.add("spec.flinkConfiguration: forbidden key " + key + " (the operator sets it)");
            }
        }
        boolean ha = isSet(conf, "high-availability.type") || isSet(conf, "high-availability");
        String haType = conf.path("high-availability.type")
                .asText(conf.path("high-availability").asText("none"));
        if (ha && !haType.equalsIgnoreCase("none") && !isSet(conf, "high-availability.storageDir")) {
            errors.add("spec.flinkConfiguration: high-availability.storageDir must be set with high availability");
        }
        boolean kubernetesHa = haType.equalsIgnoreCase("kubernetes")
                || haType.equals("org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory");

        JsonNode job = spec.path("job");
        if (!job.isMissingNode()) {
            if (job.path("jarURI").asText("").isEmpty()) {
                errors.add("spec.job.jarURI must be defined");
            }
            boolean replicasSet = spec.path("taskManager").has("replicas");
            if (!replicasSet && job.path("parallelism").asInt(0) < 1) {
                errors.add("spec.job.parallelism must be larger than 0");
            }
            if (!job.path("state").asText("running").equals("running")) {
                errors.add("spec.job.state: a new deployment must start in state running");
            }
            String upgradeMode = job.path("upgradeMode").asText("stateless");
            if (!upgradeMode.equals("stateless") && !isSet(conf, CHECKPOINTS_DIR)) {
                errors.add(
                        "spec.flinkConfiguration: " + CHECKPOINTS_DIR + " must be set for upgradeMode " + upgradeMode);
            }
            if (upgradeMode.equals("savepoint") && !isSet(conf, SAVEPOINTS_DIR)) {
                errors.add("spec.flinkConfiguration: " + SAVEPOINTS_DIR + " must be set for upgradeMode savepoint");
            }
            if (upgradeMode.equals("last-state") && !kubernetesHa) {
                errors.add("spec.job.upgradeMode last-state needs high-availability.type: kubernetes");
            }
        }
        int jmReplicas = spec.path("jobManager").path("replicas").asInt(1);
        if (jmReplicas < 1) {
            errors.add("spec.jobManager.replicas must be at least 1");
        } else if (jmReplicas > 1 && !kubernetesHa) {
            errors.add("spec.jobManager.replicas > 1 needs high availability");
        }
        for (String component : List.of("jobManager", "taskManager")) {
            JsonNode resource = spec.path(component).path("resource");
            String memory = resource.path("memory").asText("");
            if (memory.isEmpty()) {
                errors.add("spec." + component + ".resource.memory must be defined");
            } else {
                try {
                    MemorySize.parse(memory);
                } catch (IllegalArgumentException e) {
                    errors.add("spec." + component + ".resource.memory " + memory + ": " + e.getMessage());
                }
            }
            if (resource.has("ephemeralStorage")
                    && !QUANTITY.matcher(resource.path("ephemeralStorage").asText())
                            .matches()) {
                errors.add("spec." + component + ".resource.ephemeralStorage is not a Kubernetes quantity");
            }
        }
        return errors;
    }

    private static boolean isSet(JsonNode conf, String key) {
        return !conf.path(key).asText("").isBlank();
    }
}
