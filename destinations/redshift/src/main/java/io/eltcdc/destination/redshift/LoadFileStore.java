package io.eltcdc.destination.redshift;

import java.io.IOException;
import java.io.OutputStream;

/** Where load files and manifests are written, for COPY to read: S3 through Flink's file systems in the job. */
public interface LoadFileStore {

    /** Creates (or overwrites) the file at {@code uri}. */
    OutputStream create(String uri) throws IOException;

    /** Deletes the folder {@code uri} and everything in it; nothing when it does not exist. */
    void deleteFolder(String uri) throws IOException;
}
