package io.eltcdc.job.verify;

import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.model.sync.VerificationResultFile;
import io.eltcdc.staging.StagingFileSystems;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes the last verification's result where the running pipeline's gauges and monitoring read it
 * ({@link VerificationResultFile}).
 */
public final class VerifyResultFile {
    private VerifyResultFile() {}

    /** Writes the file; returns its path. */
    public static String write(PipelineConfig config, List<TableResult> results, Instant finished) throws IOException {
        StagingFileSystems.initialize(FlinkSettings.forLocalRun(config));
        VerificationResultFile file = new VerificationResultFile(
                config.staging().path(), config.pipeline().name());
        file.write(config.pipeline().name(), summary(results, finished));
        return file.path();
    }

    static VerificationResultFile.Summary summary(List<TableResult> results, Instant finished) {
        return new VerificationResultFile.Summary(
                finished,
                (int) results.stream().filter(r -> r.error() == null).count(),
                results.stream()
                        .filter(r -> r.error() == null && !r.equal())
                        .map(r -> r.table().toString())
                        .toList(),
                results.stream()
                        .filter(r -> r.error() != null)
                        .map(r -> r.table().toString())
                        .toList());
    }
}
