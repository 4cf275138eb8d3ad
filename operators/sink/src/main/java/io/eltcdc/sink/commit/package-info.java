/**
 * The sink's commit side: the batches the pre-commit step sends
 * ({@link io.eltcdc.sink.commit.StagedBatch}, with its versioned serializer and the formats'
 * common parts) and {@link io.eltcdc.sink.commit.StagedFileCommitter}, which commits their files.
 * Internal to {@code io.eltcdc.sink}.
 */
package io.eltcdc.sink.commit;
