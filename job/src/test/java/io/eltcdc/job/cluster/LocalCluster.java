package io.eltcdc.job.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's commands against a real Flink cluster: {@code scripts/local-cluster.sh} and
 * {@code scripts/submit.sh}, run as processes with a cluster folder and ports of their own (so a
 * developer's cluster on 8081 is left alone). The Flink jars are resolved once per build folder.
 */
final class LocalCluster {
    record Result(int exit, String output) {
        /** The value of the first output line {@code "<prefix>: value"}. */
        Optional<String> value(String prefix) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + ": (\\S+)$")
                    .matcher(output);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
    }

    private final Path repo;
    private final Path dir;
    private final Path jar;
    private final Path flinkHome;
    private final Map<String, String> env = new HashMap<>();
    private final int restPort;
    private int logs;

    /**
     * @param dir the cluster's work folder (ELT_CLUSTER_DIR)
     * @param environment extra variables for the cluster's processes (and so for the pipelines' ${env:…})
     */
    LocalCluster(Path dir, Map<String, String> environment) throws IOException {
        this.repo = repositoryRoot();
        this.dir = dir;
        this.jar = Path.of(System.getProperty("eltcdc.cluster.jar", "target/elt-cdc-cluster.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run the IT through Maven (mvn verify), which packages it");
        }
        // Cached beside the jar: resolved once per build folder, removed by mvn clean.
        this.flinkHome = jar.getParent().resolve("flink-cluster");
        this.restPort = freePort();
        env.putAll(environment);
        env.put("ELT_JAR", jar.toString());
        env.put("ELT_CLUSTER_DIR", dir.toString());
        env.put("ELT_FLINK_HOME", flinkHome.toString());
        env.put("ELT_CLUSTER_REST_PORT", String.valueOf(restPort));
        env.put("ELT_CLUSTER_RPC_PORT", String.valueOf(freePort()));
    }

    /** The job jar that {@link #submit} uploads (ELT_JAR): the cluster jar. */
    Path jar() {
        return jar;
    }

    /** The cluster's lib/ folder: what a Flink distribution's lib/ provides to every job. */
    Path flinkLib() {
        return flinkHome.resolve("lib");
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    Result start(Map<String, String> conf) throws Exception {
        List<String> args = new ArrayList<>(List.of("start"));
        conf.forEach((k, v) -> {
            args.add("-D");
            args.add(k + "=" + v);
        });
        return run("scripts/local-cluster.sh", args, Duration.ofMinutes(5));
    }

    Result stop() throws Exception {
        return run("scripts/local-cluster.sh", List.of("stop"), Duration.ofMinutes(2));
    }

    Result status() throws Exception {
        return run("scripts/local-cluster.sh", List.of("status"), Duration.ofSeconds(30));
    }

    Result submit(String... args) throws Exception {
        return run("scripts/submit.sh", List.of(args), Duration.ofMinutes(5));
    }

    /** Pids of the JobManager and TaskManager the script started (from its pid files). */
    List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String role : List.of("jobmanager", "taskmanager")) {
            Path file = dir.resolve("run").resolve(role + ".pid");
            if (Files.exists(file)) {
                pids.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    Path dir() {
        return dir;
    }

    private Result run(String script, List<String> args, Duration timeout) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", repo.resolve(script).toString()));
        command.addAll(args);
        Path log = dir.resolve("commands")
                .resolve(String.format(
                        "%02d-%s.log",
                        ++logs,
                        Path.of(script).getFileName().toString().replace(".sh", "") + "-"
                                + args.get(0).replace("-", "")));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(
                    script + " " + args.get(0) + " did not end within " + timeout + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.printf(
                "$ %s %s   (%.1f s, exit %d)%n%s",
                script,
                String.join(" ", abbreviated(args)),
                (System.nanoTime() - started) / 1e9,
                process.exitValue(),
                output);
        return new Result(process.exitValue(), output);
    }

    private static List<String> abbreviated(List<String> args) {
        return args.stream()
                .map(a -> a.length() > 120 ? a.substring(0, 117) + "..." : a)
                .toList();
    }

    /** The repository's root: the folder above the job module that holds scripts/local-cluster.sh. */
    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/local-cluster.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("no scripts/local-cluster.sh above " + dir);
    }

    /**
     * Whether process {@code pid} exists and has not ended. A zombie has ended (it only waits for
     * its parent, here init, to reap it), although {@link ProcessHandle#isAlive} still says true.
     */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
            } catch (IOException gone) {
                return !Files.isDirectory(Path.of("/proc"));
            }
        }
        return false;
    }

    /** Whether something still listens on the REST port. */
    boolean restPortTaken() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", restPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
