package io.eltcdc.job.cdc;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.testing.JdbcUrl;

/**
 * The continuous pipelines of the change-log tests: parallelism 1, a checkpoint and a heartbeat
 * every second, staging in a fresh temporary folder, loading into schema {@code copy} of a
 * PostgreSQL destination.
 */
final class TestPipelines {
    private TestPipelines() {}

    /**
     * @param tables the {@code source.tables} list, as YAML ({@code [public.items, public.labels]})
     * @param sourceOptions more {@code source} keys, as YAML ({@code capture-new-tables: true}), or ""
     */
    static PipelineConfig toPostgres(
            String name, String type, JdbcUrl src, String tables, String sourceOptions, String destUrl)
            throws Exception {
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                pipeline: { name: %s, parallelism: 1, checkpoint-interval: 1s }
                source: { type: %s, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: %s, heartbeat-interval: 1s%s }
                staging: { path: "file://%s", inactivity-interval: 1s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                        name,
                        type,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        tables,
                        sourceOptions.isEmpty() ? "" : ", " + sourceOptions,
                        System.getProperty("java.io.tmpdir") + "/elt-cdc-test-staging/" + name + "-"
                                + System.nanoTime(),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password()),
                System::getenv);
    }
}
