package io.eltcdc.source.dialect;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.config.Secret;
import io.eltcdc.config.SecretUnavailableException;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot reader whose password file is gone where it runs fails without restarts (a person must
 * mount it), with the pipeline file check's message naming the key.
 */
class MissingSecretTest {
    @TempDir
    Path tmp;

    @Test
    void aPasswordFileMissingWhereTheReaderRunsStopsTheRunNamingTheKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("pg-password"), "pw\n");
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:5432/postgres")
                .username("postgres")
                .password(Secret.of("source.password", "${file:" + file + "}", System::getenv))
                .table("public.items")
                .build();
        Files.delete(file); // e.g. a TaskManager pod without the Secret's volume

        assertThatThrownBy(() -> SourceConnections.open(config, "reading a chunk"))
                .isInstanceOf(SuppressRestartsException.class)
                .cause()
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("source.password: file " + file + " does not exist (the value refers to ${file:" + file
                        + "}); create it or mount the secret there");
    }
}
