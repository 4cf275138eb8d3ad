package io.eltcdc.source.mysql;

import io.eltcdc.source.log.LogSplitRewinder;
import java.util.Map;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlBinlogSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.cdc.connectors.mysql.source.utils.RecordUtils;

/** Flink CDC's MySQL binlog split, for {@link io.eltcdc.source.log.KeyChangeSafeSource}. */
final class MySqlBinlogSplitRewinder implements LogSplitRewinder<MySqlSplit> {
    private static final long serialVersionUID = 1L;

    @Override
    public Map<String, ?> startOf(MySqlSplit split) {
        if (!split.isBinlogSplit() || split.asBinlogSplit().getStartingOffset() == null) {
            return null;
        }
        return split.asBinlogSplit().getStartingOffset().getOffset();
    }

    @Override
    public MySqlSplit rewound(MySqlSplit split, Map<String, ?> offset) {
        MySqlBinlogSplit binlog = split.asBinlogSplit();
        return new MySqlBinlogSplit(
                binlog.splitId(),
                RecordUtils.getBinlogPosition(offset),
                binlog.getEndingOffset(),
                binlog.getFinishedSnapshotSplitInfos(),
                binlog.getTableSchemas(),
                binlog.getTotalFinishedSplitSize(),
                binlog.isSuspended());
    }
}
