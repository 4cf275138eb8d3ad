/**
 * The sink's pre-commit step: {@link io.eltcdc.sink.aggregate.CheckpointFileAggregator} gathers
 * every writer's files into batches, holding them under a load interval or while their table is
 * synced ({@link io.eltcdc.sink.aggregate.SyncHolds}); its checkpointed state and that state's
 * versioned serializer. Internal to {@code io.eltcdc.sink}.
 */
package io.eltcdc.sink.aggregate;
