package io.eltcdc.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the packaged jar's {@code run} command in a process of its own, as a user does, for the
 * tests that kill it ({@code kill -9}) and run it again.
 */
public final class JarRun {
    private JarRun() {}

    /**
     * @param log where the process's output goes
     * @param flags more {@code run} options, e.g. {@code --snapshot-only}
     */
    public static Process start(Path pipeline, Path log, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-jar",
                System.getProperty("eltcdc.jar", "target/elt-cdc.jar"),
                "run",
                "--pipeline",
                pipeline.toString(),
                "--progress-interval",
                "1s"));
        command.addAll(List.of(flags));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
