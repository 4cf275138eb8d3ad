/**
 * The Flink sink of elt-cdc: {@link io.eltcdc.sink.StagingLoadSink} stages change records as Avro
 * files with Flink's FileSink and loads each completed checkpoint's files into the destination.
 * Its internals: {@link io.eltcdc.sink.aggregate} (the pre-commit step that gathers the files, and
 * its state) and {@link io.eltcdc.sink.commit} (the committer that loads them, and its batches).
 * Flink glue only: destinations are reached through {@code io.eltcdc.destination}'s interfaces.
 */
package io.eltcdc.sink;
