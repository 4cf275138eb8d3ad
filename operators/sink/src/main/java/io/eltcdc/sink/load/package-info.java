/**
 * The sink's load side: {@link io.eltcdc.sink.load.StagedBatchLoader}, the operator chained after
 * the committer that loads committed batches into the destination on threads of its own
 * ({@link io.eltcdc.sink.load.LoadScheduler}), what one table's load means
 * ({@link io.eltcdc.sink.load.TableLoader}), its versioned state, and the deletion of loaded staged
 * files ({@link io.eltcdc.sink.load.StagedFileCleaner}). Internal to {@code io.eltcdc.sink}.
 */
package io.eltcdc.sink.load;
