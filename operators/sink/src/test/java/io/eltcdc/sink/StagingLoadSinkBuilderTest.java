package io.eltcdc.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.staging.StagingFileSink;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** {@link StagingLoadSink.Builder}: what it requires, and the messages when something is missing. */
class StagingLoadSinkBuilderTest {
    private static final FileSink<ChangeRecord> FILES =
            StagingFileSink.build(StagingFileSink.defaults("file:///tmp/elt-cdc-builder-test"));
    private static final DestinationFactory DESTINATION = () -> {
        throw new AssertionError("not opened by the builder");
    };
    private static final TableSchema EVENTS =
            new TableSchema(new TableId("app", "events"), List.of(Column.of("n", ColumnType.INT32)), List.of());

    @Test
    void tablesAreRequired() {
        assertThatThrownBy(
                        () -> StagingLoadSink.builder(FILES, DESTINATION, "p").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tables(...) not set");
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, DESTINATION, "p")
                        .tables(Arrays.asList(EVENTS, null))
                        .build())
                .hasMessage("tables must not contain null");
    }

    @Test
    void theBuilderArgumentsAreRequired() {
        assertThatThrownBy(() -> StagingLoadSink.builder(null, DESTINATION, "p")
                        .tables(List.of())
                        .build())
                .hasMessage("the staging FileSink (files) must not be null");
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, null, "p")
                        .tables(List.of())
                        .build())
                .hasMessage("the destination factory must not be null");
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, DESTINATION, " ")
                        .tables(List.of())
                        .build())
                .hasMessage("the pipeline name must not be blank");
    }

    @Test
    void theLoadIntervalMustNotBeNegative() {
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, DESTINATION, "p")
                        .tables(List.of(EVENTS))
                        .loadInterval(Duration.ofSeconds(-1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("load interval must not be negative: PT-1S");
    }

    @Test
    void loadSettingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, DESTINATION, "p")
                        .tables(List.of(EVENTS))
                        .loadParallelism(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("load parallelism must be at least 1: 0");
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, DESTINATION, "p")
                        .tables(List.of(EVENTS))
                        .loadQueue(0)
                        .build())
                .hasMessage("the load queue must hold at least 1 batch: 0");
        assertThatThrownBy(() -> StagingLoadSink.builder(FILES, DESTINATION, "p")
                        .tables(List.of(EVENTS))
                        .retention(null)
                        .build())
                .hasMessage("the staging retention must not be null");
        assertThatThrownBy(() -> StagingRetention.after(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("staged files cannot be kept for a negative time: PT-24H");
    }

    @Test
    void noTableSyncControlIsLeftUnsetNotNull() {
        assertThatThrownBy(
                        () -> StagingLoadSink.builder(FILES, DESTINATION, "p").tableSyncControl(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("leave it unset");
    }

    @Test
    void aSinkWithTableSyncsSurvivesJavaSerialization() throws Exception {
        // Flink ships the sink to the cluster serialized; its table sync holds go along.
        StagingLoadSink sink = StagingLoadSink.builder(FILES, () -> null, "p")
                .tables(List.of(EVENTS))
                .tableSyncControl(new TableSyncControl("file:///tmp/elt-cdc-builder-test", "p"))
                .build();

        StagingLoadSink copy = InstantiationUtil.clone(sink);

        assertThat(copy.getCommittableSerializer().getVersion()).isEqualTo(4);
    }
}
