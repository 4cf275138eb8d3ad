package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** {@link LogResumePoint}: the offset a checkpoint keeps while a key change is half emitted. */
class LogResumePointTest {
    private final LogResumePoint point = new LogResumePoint();

    @Test
    void wholeRecordsNeedNoOverride() {
        point.started(offset(100));
        point.emitted(record(110, null), "u");
        point.emitted(record(120, null), "d");

        assertThat(point.halfEmitted()).isFalse();
    }

    @Test
    void betweenTheDeleteAndTheCreateOfAKeyChangeTheOffsetBeforeThePairIsKept() {
        point.started(offset(100));
        point.emitted(record(110, null), "u");
        point.emitted(record(130, LogResumePoint.NEW_KEY), "d");

        assertThat(point.halfEmitted()).isTrue();
        assertThat(point.override()).isEqualTo(offset(110));

        point.emitted(record(130, LogResumePoint.OLD_KEY), "c");
        assertThat(point.halfEmitted()).isFalse();
        point.emitted(record(140, LogResumePoint.NEW_KEY), "d");
        assertThat(point.override()).as("the create closed the pair").isEqualTo(offset(130));
    }

    @Test
    void aPairFirstAfterTheStartKeepsTheStart() {
        point.started(offset(100));
        point.emitted(record(130, LogResumePoint.NEW_KEY), "d");

        assertThat(point.halfEmitted()).isTrue();
        assertThat(point.override()).isEqualTo(offset(100));

        point.started(offset(130));
        assertThat(point.halfEmitted()).as("a restart begins whole").isFalse();
    }

    private static Map<String, ?> offset(long lsn) {
        return Map.of("lsn", lsn, "lsn_proc", lsn);
    }

    private static SourceRecord record(long lsn, String header) {
        ConnectHeaders headers = new ConnectHeaders();
        if (header != null) {
            headers.addString(header, "key");
        }
        return new SourceRecord(Map.of(), offset(lsn), "topic", null, null, null, null, null, null, headers);
    }
}
