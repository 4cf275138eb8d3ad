package io.eltcdc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eltcdc.deploy.Manifests.Manifest;
import io.eltcdc.job.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * That the pieces fit: the pipeline file in the ConfigMap is a valid pipeline for the job's own parser,
 * its passwords are {@code ${file:…}} files of the Secret mounted in each pod (any {@code ${env:NAME}}
 * set from the Secret), the logging keeps the source password out, the file is mounted
 * where the job's arguments say, the jar where the Dockerfile puts it, and the sizes agree.
 */
class PipelineWiringTest {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:(/[^}]*)}");
    /** The logger of Flink CDC that prints the source password at INFO. */
    private static final String PASSWORD_LOGGER =
            "org.apache.flink.cdc.connectors.postgres.source.fetch.PostgresSourceFetchTaskContext";

    @TempDir
    Path tmp;
    /** The cluster jar, where the Dockerfile puts it. */
    private static final String JAR = "/opt/flink/usrlib/elt-cdc-cluster.jar";
    /** Where the Dockerfile puts the warehouse destinations' jars (off the class path). */
    private static final String DESTINATIONS = "/opt/flink/elt-cdc-destinations/";

    private final List<Manifest> all = Manifests.all();
    private final JsonNode deployment = ManifestSchemaTest.deployment();

    @Test
    void thePipelineFileParsesWithTheJobsParser() throws Exception {
        String yaml = pipelineYaml();
        PipelineConfig config = parse(yaml, name -> "placeholder-" + name);
        assertThat(config.pipeline().name()).isNotBlank();
        // On a cluster, a state-dir would override the FlinkDeployment's checkpoint folder.
        assertThat(config.pipeline().stateDir()).as("pipeline.state-dir").isNull();
        // Staged files are written by every TaskManager and loaded by one: they must be on shared storage.
        assertThat(config.staging().path()).as("staging.path").startsWith("s3://");
        // The cluster's S3 settings apply on a cluster; a staging.s3 section would be ignored there.
        assertThat(config.staging().s3()).as("staging.s3").isNull();
        // A DuckDB file would live on one TaskManager pod's disk.
        assertThat(config.destination().type()).as("destination.type").isNotEqualTo("duckdb");
        assertThat(config.pipeline().parallelism())
                .as("pipeline.parallelism = spec.job.parallelism")
                .isEqualTo(deployment.at("/spec/job/parallelism").asInt());
    }

    @Test
    void everyEnvReferenceIsSetFromTheSecret() throws Exception {
        Set<String> referenced = envReferences(pipelineYaml());
        // The parser agrees: with only these variables set, the file resolves.
        parse(pipelineYaml(), name -> referenced.contains(name) ? "placeholder" : null);

        Map<String, String> secretKeys = secretKeys();
        Map<String, JsonNode> fdEnv = env(deployment.at("/spec/podTemplate/spec/containers"), "flink-main-container");
        assertEnvFromSecret("FlinkDeployment", fdEnv, referenced, secretKeys);
        // The S3 file system of the JobManager and TaskManagers takes its keys from these.
        assertEnvFromSecret("FlinkDeployment", fdEnv, Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), secretKeys);
        // Not in the JobManager's or TaskManagers' own templates, where they would be merged differently.
        for (String component : List.of("jobManager", "taskManager")) {
            assertThat(deployment.path("spec").path(component).has("podTemplate"))
                    .as(component + ".podTemplate")
                    .isFalse();
        }

        Manifest job = Manifests.one(all, "Job", "elt-cdc-shop-drop-slot");
        assertEnvFromSecret(
                "drop-slot Job",
                env(job.node().at("/spec/template/spec/containers"), "drop-slot"),
                referenced,
                secretKeys);
    }

    /**
     * The passwords are {@code ${file:…}} references (resolved in each pod, never carried by the job),
     * and every referenced file is a key of the Secret mounted in each pod that reads the pipeline file
     * or runs the job: the FlinkDeployment's pods (JobManager and TaskManagers) and the drop-slot Job.
     */
    @Test
    void passwordsAreFilesOfTheSecretMountedInEveryPod() throws Exception {
        Set<String> files = fileReferences(pipelineYaml());
        assertThat(files).isNotEmpty();
        PipelineConfig config = parse(pipelineYaml(), name -> "placeholder-" + name);
        assertThat(config.literalSecrets())
                .as("secrets written in the pipeline file")
                .isEmpty();
        assertThat(config.source().password()).as("source.password").isNotNull();
        assertThat(envReferences(pipelineYaml()))
                .as("passwords from the environment (prefer ${file:…}: a Secret volume is re-read when rotated)")
                .isEmpty();

        Map<String, String> secretKeys = secretKeys();
        assertSecretFiles("FlinkDeployment", deployment.at("/spec/podTemplate/spec"), "flink-main-container", files);
        Manifest job = Manifests.one(all, "Job", "elt-cdc-shop-drop-slot");
        assertSecretFiles("drop-slot Job", job.node().at("/spec/template/spec"), "drop-slot", files);
        for (String file : files) {
            assertThat(secretKeys)
                    .as("the Secret template has key " + Path.of(file).getFileName())
                    .containsKey(Path.of(file).getFileName().toString());
        }
    }

    /** Every logging configuration shipped for a cluster keeps Flink CDC's configuration dump out of the logs. */
    @Test
    void theLoggerThatPrintsTheSourcePasswordStaysAtWarn() throws Exception {
        String deploymentLogging =
                deployment.at("/spec/logConfiguration/log4j-console.properties").asText();
        Path root = Manifests.MODULE.getParent();
        Map<String, String> configs = Map.of(
                "FlinkDeployment log4j-console.properties", deploymentLogging,
                "scripts/lib/flink-log4j.properties",
                        Files.readString(root.resolve("scripts/lib/flink-log4j.properties")),
                "job log4j2.properties", Files.readString(root.resolve("job/src/main/resources/log4j2.properties")));
        configs.forEach((where, text) -> {
            java.util.Properties props = new java.util.Properties();
            try {
                props.load(new java.io.StringReader(text));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String logger = props.stringPropertyNames().stream()
                    .filter(k -> k.endsWith(".name") && props.getProperty(k).equals(PASSWORD_LOGGER))
                    .map(k -> k.substring(0, k.length() - ".name".length()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": no logger " + PASSWORD_LOGGER));
            assertThat(props.getProperty(logger + ".level"))
                    .as(where + ": level of " + PASSWORD_LOGGER)
                    .isIn("WARN", "ERROR", "OFF");
        });
    }

    @Test
    void thePipelineFileIsMountedWhereTheArgumentsSay() {
        List<String> args = texts(deployment.at("/spec/job/args"));
        assertThat(args).containsExactly("run", "--pipeline", "/opt/elt-cdc/pipeline.yaml");
        assertMounted("FlinkDeployment", deployment.at("/spec/podTemplate/spec"), "flink-main-container", args.get(2));

        Manifest job = Manifests.one(all, "Job", "elt-cdc-shop-drop-slot");
        JsonNode podSpec = job.node().at("/spec/template/spec");
        List<String> command = texts(podSpec.at("/containers/0/command"));
        assertThat(command).hasSize(7);
        assertThat(command)
                .containsExactly(
                        "java",
                        "-cp",
                        command.get(2),
                        io.eltcdc.job.Main.class.getName(),
                        "drop-slot",
                        "--pipeline",
                        args.get(2));
        // The image's Flink and the cluster jar, and the destination jar the FlinkDeployment adds, if any.
        List<String> classpath = List.of(command.get(2).split(":"));
        assertThat(classpath).startsWith("/opt/flink/lib/*", JAR);
        assertThat(classpath.subList(2, classpath.size()))
                .as("drop-slot Job: destination jars on the class path")
                .containsExactlyElementsOf(destinationJars().stream()
                        .map(url -> url.substring("file://".length()))
                        .toList());
        assertMounted("drop-slot Job", podSpec, "drop-slot", args.get(2));
        assertThat(podSpec.at("/containers/0/image").asText())
                .as("drop-slot Job image")
                .isEqualTo(deployment.at("/spec/image").asText());
        assertThat(podSpec.at("/restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void theJobRunsTheJarOfTheImage() throws Exception {
        List<String> dockerfile = Files.readAllLines(Manifests.MODULE.resolve("Dockerfile")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertThat(dockerfile.get(0)).isEqualTo("FROM flink:1.20.1-java17");
        assertThat(dockerfile)
                .anySatisfy(l -> assertThat(l).startsWith("COPY").endsWith(" job/target/elt-cdc-cluster.jar " + JAR));
        // Every warehouse destination's jar (a module of dist/), in one folder off the class path.
        String copyDestinations = dockerfile.stream()
                .filter(l -> l.startsWith("COPY") && l.endsWith(" " + DESTINATIONS))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no COPY into " + DESTINATIONS));
        for (String name : warehouseDestinations()) {
            assertThat(copyDestinations)
                    .as("the Dockerfile copies the %s destination's jar", name)
                    .contains(" dist/" + name + "/target/elt-cdc-" + name + ".jar ");
        }
        assertThat(String.join("\n", dockerfile))
                .contains("cp /opt/flink/opt/flink-s3-fs-hadoop-1.20.1.jar /opt/flink/plugins/s3-fs-hadoop/")
                .doesNotContain("ENABLE_BUILT_IN_PLUGINS=");

        assertThat(deployment.at("/spec/job/jarURI").asText()).isEqualTo("local://" + JAR);
        assertThat(deployment.at("/spec/job/entryClass").asText()).isEqualTo(io.eltcdc.job.Main.class.getName());
        assertThat(deployment.at("/spec/flinkVersion").asText())
                .as("flinkVersion of FROM flink:1.20.1")
                .isEqualTo("v1_20");
        assertThat(deployment.at("/spec/mode").asText("native")).isEqualTo("native");
        assertThat(deployment.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
    }

    @Test
    void aDestinationThatIsNotInTheClusterJarIsOnTheClassPath() throws Exception {
        String type = parse(pipelineYaml(), name -> "placeholder-" + name)
                .destination()
                .type();
        List<String> jars = destinationJars();
        for (String url : jars) {
            assertThat(url).as("pipeline.classpaths entry").startsWith("file://" + DESTINATIONS);
            String name = url.substring(("file://" + DESTINATIONS + "elt-cdc-").length())
                    .replaceAll("\\.jar$", "");
            assertThat(warehouseDestinations())
                    .as("a jar the image has: " + url)
                    .contains(name);
        }
        if (warehouseDestinations().contains(type)) {
            assertThat(jars)
                    .as("pipeline.classpaths of a pipeline with destination.type " + type)
                    .containsExactly("file://" + DESTINATIONS + "elt-cdc-" + type + ".jar");
        } else {
            assertThat(jars)
                    .as("destination.type %s is in the cluster jar: no destination jar", type)
                    .isEmpty();
        }
    }

    @Test
    void haCheckpointsAndSavepointsAreOnS3() {
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        for (String key :
                List.of("high-availability.storageDir", OperatorRules.CHECKPOINTS_DIR, OperatorRules.SAVEPOINTS_DIR)) {
            assertThat(conf.path(key).asText()).as(key).startsWith("s3://");
        }
        // Set by the job from the pipeline file, where they belong; here they would only mislead.
        for (String key : List.of("parallelism.default", "execution.checkpointing.interval", "restart-strategy.type")) {
            assertThat(conf.has(key)).as(key).isFalse();
        }
    }

    @Test
    void theSizesAgree() {
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        int slots = Integer.parseInt(conf.path("taskmanager.numberOfTaskSlots").asText());
        int parallelism = deployment.at("/spec/job/parallelism").asInt();
        // The comment at the top of flinkdeployment.yaml: 2 TaskManagers x 2 slots.
        assertThat(slots).isEqualTo(2);
        assertThat(parallelism).isEqualTo(4);
        assertThat(parallelism % slots).as("no idle slot").isZero();
        assertThat(deployment.at("/spec/taskManager/resource/memory").asText()).isEqualTo("4096m");
        assertThat(deployment.at("/spec/jobManager/resource/memory").asText()).isEqualTo("2048m");
    }

    @Test
    void theServiceAccountExistsAndIsBound() {
        String account = deployment.at("/spec/serviceAccount").asText();
        Manifests.one(all, "ServiceAccount", account);
        Manifest binding = Manifests.ofKind(all, "RoleBinding").stream()
                .filter(b -> texts(b.node().path("subjects").findValues("name")).contains(account))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no RoleBinding for " + account));
        Manifest role =
                Manifests.one(all, "Role", binding.node().at("/roleRef/name").asText());
        String rules = role.node().path("rules").toString();
        assertThat(rules).contains("pods", "configmaps", "create", "delete", "watch");
    }

    // --- helpers ---------------------------------------------------------------------------------

    /**
     * Parses the pipeline file with the job's parser, its {@code ${file:…}} references pointed at
     * placeholder files (the pods' mount paths do not exist here).
     */
    private PipelineConfig parse(String yaml, java.util.function.Function<String, String> env) throws Exception {
        Matcher m = FILE_REFERENCE.matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Path placeholder = tmp.resolve(Path.of(m.group(1)).getFileName().toString());
            Files.writeString(placeholder, "placeholder\n");
            m.appendReplacement(out, Matcher.quoteReplacement("${file:" + placeholder + "}"));
        }
        m.appendTail(out);
        return PipelineConfig.parse(out.toString(), env);
    }

    private static Set<String> fileReferences(String yaml) {
        Set<String> files = new LinkedHashSet<>();
        Matcher m = FILE_REFERENCE.matcher(yaml);
        while (m.find()) {
            files.add(m.group(1));
        }
        return files;
    }

    /** Each of {@code files} is in {@code container} of {@code podSpec}: an item of a Secret volume. */
    private static void assertSecretFiles(String where, JsonNode podSpec, String containerName, Set<String> files) {
        Set<String> mounted = new LinkedHashSet<>();
        for (JsonNode container : podSpec.path("containers")) {
            if (!container.path("name").asText().equals(containerName)) {
                continue;
            }
            for (JsonNode mount : container.path("volumeMounts")) {
                for (JsonNode volume : podSpec.path("volumes")) {
                    JsonNode secret = volume.path("secret");
                    if (!volume.path("name").asText().equals(mount.path("name").asText()) || !secret.isObject()) {
                        continue;
                    }
                    assertThat(secret.path("secretName").asText())
                            .as(where + ": Secret volume")
                            .isNotBlank();
                    for (JsonNode item : secret.path("items")) {
                        assertThat(item.path("path").asText())
                                .as(where + ": the file is named as its key")
                                .isEqualTo(item.path("key").asText());
                        mounted.add(Path.of(mount.path("mountPath").asText())
                                .resolve(item.path("path").asText())
                                .toString());
                    }
                }
            }
        }
        assertThat(mounted)
                .as(where + ": files of a Secret volume in " + containerName)
                .containsAll(files);
    }

    private String pipelineYaml() {
        String configMapName =
                deployment.at("/spec/podTemplate/spec/volumes/0/configMap/name").asText();
        Manifest configMap = Manifests.one(all, "ConfigMap", configMapName);
        String yaml = configMap.node().at("/data/pipeline.yaml").asText(null);
        assertThat(yaml).as(configMap.describe() + " data.pipeline.yaml").isNotBlank();
        return yaml;
    }

    /** The FlinkDeployment's pipeline.classpaths (Flink's list: URLs separated by ';'). */
    private List<String> destinationJars() {
        String value = deployment
                .at("/spec/flinkConfiguration")
                .path("pipeline.classpaths")
                .asText("");
        return value.isBlank() ? List.of() : List.of(value.split(";"));
    }

    /** The destinations that are jars of their own: the modules of dist/. */
    private static List<String> warehouseDestinations() {
        try (var modules = Files.list(Manifests.MODULE.getParent().resolve("dist"))) {
            List<String> names = modules.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
            assertThat(names).as("modules of dist/").isNotEmpty();
            return names;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> envReferences(String yaml) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ENV_REFERENCE.matcher(yaml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Secret key → secret name, of every Secret manifest. */
    private Map<String, String> secretKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Manifest secret : Manifests.ofKind(all, "Secret")) {
            secret.node().path("stringData").fieldNames().forEachRemaining(k -> keys.put(k, secret.name()));
        }
        return keys;
    }

    private static Map<String, JsonNode> env(JsonNode containers, String containerName) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode container : containers) {
            if (container.path("name").asText().equals(containerName)) {
                for (JsonNode var : container.path("env")) {
                    assertThat(env.put(var.path("name").asText(), var))
                            .as("env " + var.path("name") + " twice")
                            .isNull();
                }
                return env;
            }
        }
        throw new AssertionError("no container " + containerName);
    }

    private static void assertEnvFromSecret(
            String where, Map<String, JsonNode> env, Set<String> names, Map<String, String> secretKeys) {
        for (String name : names) {
            JsonNode var = env.get(name);
            assertThat(var).as(where + ": env " + name).isNotNull();
            JsonNode ref = var.path("valueFrom").path("secretKeyRef");
            assertThat(ref.isObject())
                    .as(where + ": env " + name + " from a Secret")
                    .isTrue();
            String key = ref.path("key").asText();
            assertThat(secretKeys)
                    .as(where + ": env " + name + ": key " + key + " in the Secret template")
                    .containsKey(key);
            assertThat(ref.path("name").asText())
                    .as(where + ": env " + name + ": Secret name")
                    .isEqualTo(secretKeys.get(key));
            assertThat(ref.path("optional").asBoolean(false)).isFalse();
        }
    }

    /** The file {@code path} exists in {@code container} of {@code podSpec}: a ConfigMap volume's item. */
    private void assertMounted(String where, JsonNode podSpec, String containerName, String path) {
        Path file = Path.of(path);
        List<String> found = new ArrayList<>();
        for (JsonNode container : podSpec.path("containers")) {
            if (!container.path("name").asText().equals(containerName)) {
                continue;
            }
            for (JsonNode mount : container.path("volumeMounts")) {
                for (JsonNode volume : podSpec.path("volumes")) {
                    if (!volume.path("name").asText().equals(mount.path("name").asText())) {
                        continue;
                    }
                    JsonNode configMap = volume.path("configMap");
                    if (!configMap.isObject()) {
                        continue; // the Secret's volume
                    }
                    Manifest cm = Manifests.one(
                            all, "ConfigMap", configMap.path("name").asText());
                    for (JsonNode item : configMap.path("items")) {
                        Path mounted = Path.of(mount.path("mountPath").asText())
                                .resolve(item.path("path").asText());
                        if (mounted.equals(file)
                                && cm.node().path("data").has(item.path("key").asText())) {
                            found.add(cm.name() + ":" + item.path("key").asText());
                        }
                    }
                }
            }
        }
        assertThat(found)
                .as(where + ": " + path + " mounted from a ConfigMap key in " + containerName)
                .hasSize(1);
    }

    private static List<String> texts(Iterable<JsonNode> nodes) {
        List<String> out = new ArrayList<>();
        nodes.forEach(n -> out.add(n.asText()));
        return out;
    }
}
