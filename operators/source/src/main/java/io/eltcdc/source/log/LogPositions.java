package io.eltcdc.source.log;

import io.eltcdc.model.Position;

/**
 * How log coordinates become {@link Position}s, the order the loaders merge by.
 *
 * <p>Snapshot rows carry the position recorded before the snapshot with low part 0; every log event
 * has a low part of at least 1, so an event at the very same log coordinate still sorts after them.
 *
 * <ul>
 *   <li>PostgreSQL: high = the change's own LSN. Per row, changes are in LSN order even across
 *       transactions (a row is locked from a change until its transaction commits, so the next
 *       change of the row comes later in the WAL). The snapshot's position is the slot's restart
 *       LSN, which is at or below the first change of every transaction the slot decodes, also of
 *       those that began before the slot was consistent.
 *   <li>MySQL: high = binlog file index × 2^40 + offset of the event in the file; low = row index
 *       within the event + 1. The binlog is written at commit, in commit order.
 * </ul>
 */
public final class LogPositions {
    /** Offsets inside one binlog file stay below 2^40 (1 TiB); files are capped at 1 GiB. */
    private static final int OFFSET_BITS = 40;

    private static final long MAX_FILE_INDEX = (1L << (62 - OFFSET_BITS)) - 1;

    private LogPositions() {}

    public static Position postgresSnapshot(long restartLsn) {
        return new Position(checkLsn(restartLsn), 0);
    }

    public static Position postgresChange(long lsn) {
        return new Position(checkLsn(lsn), 1);
    }

    public static Position mysqlSnapshot(String binlogFile, long offset) {
        return new Position(binlogHigh(binlogFile, offset), 0);
    }

    /** @param row the row's index in its event, from 0 */
    public static Position mysqlChange(String binlogFile, long offset, int row) {
        if (row < 0) {
            throw new IllegalArgumentException("negative row index in binlog event: " + row);
        }
        return new Position(binlogHigh(binlogFile, offset), row + 1L);
    }

    /** The number a binlog file name ends with: {@code mysql-bin.000042} → 42. */
    public static long binlogFileIndex(String binlogFile) {
        int dot = binlogFile.lastIndexOf('.');
        try {
            long index = Long.parseLong(binlogFile.substring(dot + 1));
            if (index < 0 || index > MAX_FILE_INDEX) {
                throw new NumberFormatException();
            }
            return index;
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("binlog file name '" + binlogFile
                    + "' does not end with a file number below " + MAX_FILE_INDEX + " (like mysql-bin.000042)");
        }
    }

    /** PostgreSQL's text form of an LSN, {@code 16/B374D848}. */
    public static String lsnText(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/"
                + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
    }

    /** Parses {@code 16/B374D848}. */
    public static long parseLsn(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static long binlogHigh(String binlogFile, long offset) {
        if (offset < 0 || offset >= (1L << OFFSET_BITS)) {
            throw new IllegalArgumentException("binlog offset out of range: " + offset);
        }
        return (binlogFileIndex(binlogFile) << OFFSET_BITS) | offset;
    }

    private static long checkLsn(long lsn) {
        if (lsn < 0 || lsn >= (1L << 62)) {
            throw new IllegalArgumentException("LSN out of range: " + lsnText(lsn));
        }
        return lsn;
    }
}
