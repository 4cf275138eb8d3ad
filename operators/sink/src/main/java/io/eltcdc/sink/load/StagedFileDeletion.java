package io.eltcdc.sink.load;

import java.util.List;

/**
 * The staged files of one loaded batch, to delete once safe and once the retention allows.
 *
 * @param loadedAtMillis when the batch's load finished (wall clock)
 * @param paths the files' URIs
 */
record StagedFileDeletion(long loadedAtMillis, List<String> paths) {
    StagedFileDeletion {
        paths = List.copyOf(paths);
    }
}
