/**
 * A FLIP-27 source that runs two sources at once in the same readers: the snapshot and the change
 * log read beside it ({@code source.log-during-snapshot}). One source, so the staging writer stays
 * chained to the readers (a {@code DataStream} union of two sources would put a network channel
 * before it); {@code HybridSource} is its sequential counterpart. Entry point: {@link
 * io.eltcdc.source.sidebyside.SideBySideSource}.
 */
package io.eltcdc.source.sidebyside;
