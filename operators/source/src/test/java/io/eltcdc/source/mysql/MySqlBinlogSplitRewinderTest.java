package io.eltcdc.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Map;
import org.apache.flink.cdc.connectors.mysql.source.offset.BinlogOffset;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlBinlogSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.junit.jupiter.api.Test;

/** {@link MySqlBinlogSplitRewinder}: the binlog split's start, read and moved back to a record's offset. */
class MySqlBinlogSplitRewinderTest {
    private final MySqlBinlogSplitRewinder rewinder = new MySqlBinlogSplitRewinder();

    @Test
    void aBinlogSplitStartsAgainAtTheGivenEventAndRow() {
        MySqlSplit split = new MySqlBinlogSplit(
                "binlog-split",
                BinlogOffset.ofBinlogFilePosition("mysql-bin.000003", 900),
                BinlogOffset.ofNonStopping(),
                new ArrayList<>(),
                Map.of(),
                0);
        Map<String, ?> start = rewinder.startOf(split);
        assertThat(start.get("file")).isEqualTo("mysql-bin.000003");
        assertThat(start.get("pos")).isEqualTo("900");

        // the offset of the record before a key change: row 2 of the event at 1200 done
        MySqlSplit rewound =
                rewinder.rewound(split, Map.of("file", "mysql-bin.000003", "pos", 1200L, "event", 1L, "row", 2));

        BinlogOffset from = rewound.asBinlogSplit().getStartingOffset();
        assertThat(from.getFilename()).isEqualTo("mysql-bin.000003");
        assertThat(from.getPosition()).isEqualTo(1200);
        assertThat(from.getRestartSkipEvents()).isEqualTo(1);
        assertThat(from.getRestartSkipRows()).isEqualTo(2);
        assertThat(rewound.asBinlogSplit().getEndingOffset()).isEqualTo(BinlogOffset.ofNonStopping());
    }
}
