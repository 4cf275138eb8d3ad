package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.staging.StagingFileSystems;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;

/**
 * Puts the contract suite's local staged files where the Snowflake stage reads them: each
 * {@code file://} file of a batch is copied to the S3 test folder through Flink's file system (as
 * the staging FileSink would have written it), and the batch names the copies. A local file that
 * does not exist is not copied, so the destination meets a missing file as it would in S3.
 */
final class S3Uploads {
    private final String folder;

    /** Initialises Flink's S3 file system (the bundled plugin) with the test's AWS key. */
    S3Uploads(String folder, String accessKey, String secretKey) {
        this.folder = folder.endsWith("/") ? folder : folder + "/";
        Configuration conf = new Configuration();
        conf.setString("s3.access-key", accessKey);
        conf.setString("s3.secret-key", secretKey);
        if (!StagingFileSystems.initialize(conf)) {
            throw new IllegalStateException("the S3 file system plugin is not on the test class path");
        }
    }

    LoadBatch upload(LoadBatch batch) throws IOException {
        List<StagedFile> uploaded = new ArrayList<>();
        for (StagedFile file : batch.files()) {
            if (!file.path().startsWith("file:")) {
                uploaded.add(file);
                continue;
            }
            Path local = Path.of(URI.create(file.path()));
            org.apache.flink.core.fs.Path remote = new org.apache.flink.core.fs.Path(folder + local.getFileName());
            if (Files.exists(local)) {
                try (InputStream in = Files.newInputStream(local);
                        OutputStream out = remote.getFileSystem().create(remote, FileSystem.WriteMode.OVERWRITE)) {
                    in.transferTo(out);
                }
            }
            uploaded.add(new StagedFile(remote.toString(), file.sizeBytes()));
        }
        return new LoadBatch(batch.pipeline(), batch.table(), batch.batchId(), uploaded);
    }
}
