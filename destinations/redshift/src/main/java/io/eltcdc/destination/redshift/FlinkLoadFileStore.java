package io.eltcdc.destination.redshift;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Writes load files with Flink's file systems, so that the job's S3 settings (the {@code s3.*}
 * keys, credentials, endpoint) apply as they do to staging.
 */
public final class FlinkLoadFileStore implements LoadFileStore {

    @Override
    public OutputStream create(String uri) throws IOException {
        Path path = new Path(uri);
        return path.getFileSystem().create(path, WriteMode.OVERWRITE);
    }

    @Override
    public void deleteFolder(String uri) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem();
        if (fs.exists(path)) {
            fs.delete(path, true);
        }
    }
}
