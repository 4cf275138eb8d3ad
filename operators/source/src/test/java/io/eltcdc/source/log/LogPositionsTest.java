package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Positions order snapshot rows and log events as the loaders must merge them. */
class LogPositionsTest {

    @Test
    void postgresOrdersByLsnAcrossTransactionsAndAfterTheSnapshot() {
        long restart = LogPositions.parseLsn("16/B374D848");
        Position snapshot = LogPositions.postgresSnapshot(restart);
        Position sameLsn = LogPositions.postgresChange(restart);
        Position nextInTransaction = LogPositions.postgresChange(restart + 0x28);
        Position nextTransaction = LogPositions.postgresChange(LogPositions.parseLsn("16/B3750000"));
        Position nextSegment = LogPositions.postgresChange(LogPositions.parseLsn("17/00000010"));

        assertInOrder(snapshot, sameLsn, nextInTransaction, nextTransaction, nextSegment);
    }

    @Test
    void mysqlOrdersByFileThenOffsetThenRowInEvent() {
        Position snapshot = LogPositions.mysqlSnapshot("mysql-bin.000003", 1_000);
        Position firstRowOfEvent = LogPositions.mysqlChange("mysql-bin.000003", 1_000, 0);
        Position secondRowOfEvent = LogPositions.mysqlChange("mysql-bin.000003", 1_000, 1);
        Position hundredthRow = LogPositions.mysqlChange("mysql-bin.000003", 1_000, 99);
        Position nextEvent = LogPositions.mysqlChange("mysql-bin.000003", 1_250, 0);
        Position endOfBigFile = LogPositions.mysqlChange("mysql-bin.000003", 1_073_741_824L, 0);
        Position nextFile = LogPositions.mysqlChange("mysql-bin.000004", 4, 0);
        Position muchLaterFile = LogPositions.mysqlChange("mysql-bin.1000000", 4, 0);

        assertInOrder(
                snapshot,
                firstRowOfEvent,
                secondRowOfEvent,
                hundredthRow,
                nextEvent,
                endOfBigFile,
                nextFile,
                muchLaterFile);
    }

    @Test
    void positionsKeepTheirOrderAsDecimalNumbers() {
        // Destinations compare _elt_position as DECIMAL(38,0): the order must survive the conversion.
        List<Position> positions = new ArrayList<>(List.of(
                LogPositions.postgresSnapshot(0),
                LogPositions.postgresChange(1),
                LogPositions.postgresChange((1L << 62) - 1),
                LogPositions.mysqlChange("b.000001", 4, 0),
                LogPositions.mysqlChange("b.4194303", (1L << 40) - 1, Integer.MAX_VALUE)));
        Collections.shuffle(positions, new Random(7));
        List<Position> byPosition = positions.stream().sorted().toList();
        List<Position> byDecimal = positions.stream()
                .sorted((a, b) -> a.toBigInteger().compareTo(b.toBigInteger()))
                .toList();

        assertThat(byDecimal).containsExactlyElementsOf(byPosition);
        byPosition.forEach(p -> assertThat(Position.of(p.toBigInteger())).isEqualTo(p));
    }

    @Test
    void lsnTextRoundTrips() {
        assertThat(LogPositions.lsnText(LogPositions.parseLsn("16/B374D848"))).isEqualTo("16/B374D848");
        assertThat(LogPositions.parseLsn("0/1")).isEqualTo(1);
    }

    @Test
    void badBinlogNamesAndOffsetsAreRejected() {
        assertThatThrownBy(() -> LogPositions.mysqlChange("mysql-bin", 4, 0))
                .hasMessageContaining("does not end with a file number");
        assertThatThrownBy(() -> LogPositions.mysqlChange("mysql-bin.000001", 1L << 40, 0))
                .hasMessageContaining("offset out of range");
    }

    private static void assertInOrder(Position... positions) {
        for (int i = 1; i < positions.length; i++) {
            assertThat(positions[i - 1]).as("position %d before %d", i - 1, i).isLessThan(positions[i]);
        }
    }
}
