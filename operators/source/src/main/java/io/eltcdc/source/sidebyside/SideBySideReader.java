package io.eltcdc.source.sidebyside;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads both sides in one reader, taking turns: each call of {@link #pollNext} first asks the side
 * whose turn it is, then the other if that one had nothing. The first side may end (its enumerator's
 * "no more splits" arrives as a {@link SideEvent}); the reader then reads the second alone, and ends
 * only when both have.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Each side's splits, events and "no more splits" reach only that side's reader.
 *   <li>A checkpoint holds both readers' splits, each tagged with its side.
 *   <li>Checkpoint notifications reach both readers (the change log's confirms its offset then).
 * </ul>
 */
final class SideBySideReader<T> implements SourceReader<T, SideSplit> {
    private final Sides<SourceReader<T, SourceSplit>> readers;
    private boolean firstEnded;
    private boolean secondEnded;
    private Side turn = Side.FIRST;

    SideBySideReader(Sides<SourceReader<T, SourceSplit>> readers) {
        this.readers = readers;
    }

    @Override
    public void start() {
        readers.first().start();
        readers.second().start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        Side first = turn;
        turn = turn == Side.FIRST ? Side.SECOND : Side.FIRST;
        InputStatus status = poll(first, output);
        if (status == InputStatus.MORE_AVAILABLE) {
            return status;
        }
        InputStatus other = poll(first == Side.FIRST ? Side.SECOND : Side.FIRST, output);
        if (other == InputStatus.MORE_AVAILABLE) {
            return other;
        }
        return firstEnded && secondEnded ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }

    private InputStatus poll(Side side, ReaderOutput<T> output) throws Exception {
        if (ended(side)) {
            return InputStatus.END_OF_INPUT;
        }
        InputStatus status = readers.get(side).pollNext(output);
        if (status == InputStatus.END_OF_INPUT) {
            if (side == Side.FIRST) {
                firstEnded = true;
            } else {
                secondEnded = true;
            }
        }
        return status;
    }

    private boolean ended(Side side) {
        return side == Side.FIRST ? firstEnded : secondEnded;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (firstEnded) {
            return secondEnded
                    ? CompletableFuture.completedFuture(null)
                    : readers.second().isAvailable();
        }
        if (secondEnded) {
            return readers.first().isAvailable();
        }
        return CompletableFuture.anyOf(
                        readers.first().isAvailable(), readers.second().isAvailable())
                .thenApply(ignored -> null);
    }

    @Override
    public List<SideSplit> snapshotState(long checkpointId) {
        List<SideSplit> splits = new ArrayList<>();
        readers.first().snapshotState(checkpointId).forEach(s -> splits.add(new SideSplit(Side.FIRST, s)));
        readers.second().snapshotState(checkpointId).forEach(s -> splits.add(new SideSplit(Side.SECOND, s)));
        return splits;
    }

    @Override
    public void addSplits(List<SideSplit> splits) {
        Sides<List<SourceSplit>> bySide = SideSplit.bySide(splits);
        for (Side side : Side.values()) {
            if (!bySide.get(side).isEmpty()) {
                readers.get(side).addSplits(bySide.get(side));
            }
        }
    }

    /** Never sent for the whole source: each side's enumerator ends its own side ({@link SideEvent}). */
    @Override
    public void notifyNoMoreSplits() {
        readers.first().notifyNoMoreSplits();
        readers.second().notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
        if (!(sourceEvent instanceof SideEvent event)) {
            throw new IllegalArgumentException("not an event of a side: " + sourceEvent);
        }
        SourceReader<T, SourceSplit> reader = readers.get(event.side());
        switch (event.kind()) {
            case NO_MORE_SPLITS -> reader.notifyNoMoreSplits();
            case EVENT -> reader.handleSourceEvents(event.event());
            case SPLIT_REQUEST -> throw new IllegalArgumentException("an enumerator sent " + event);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        readers.first().notifyCheckpointComplete(checkpointId);
        readers.second().notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        readers.first().notifyCheckpointAborted(checkpointId);
        readers.second().notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
        // Watermark alignment is not used by the pipeline's sources.
        throw new UnsupportedOperationException("split pausing is not supported by the side-by-side source");
    }

    @Override
    public void close() throws Exception {
        try {
            readers.first().close();
        } finally {
            readers.second().close();
        }
    }
}
