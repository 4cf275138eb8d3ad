package io.eltcdc.job.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.checksum.RowChecksumSql;
import io.eltcdc.model.checksum.RowHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowDiffTest {

    @Test
    void namesMissingExtraAndChangedRowsByKey() {
        RowDiff diff = new RowDiff();
        diff.addSource(List.of(new RowHash("1", 11), new RowHash("2", 22), new RowHash("3", 33), new RowHash("4", 44)));
        diff.addDestination(
                List.of(new RowHash("1", 11), new RowHash("3", 30), new RowHash("4", 44), new RowHash("9", 99)));

        RowDiff.Differences d = diff.differences(5);

        assertThat(d.any()).isTrue();
        assertThat(d.missing()).isEqualTo(1);
        assertThat(d.missingKeys()).containsExactly("2");
        assertThat(d.changed()).isEqualTo(1);
        assertThat(d.changedKeys()).containsExactly("3");
        assertThat(d.extra()).isEqualTo(1);
        assertThat(d.extraKeys()).containsExactly("9");
    }

    @Test
    void rowsOfDifferentRangesMatchByKey() {
        // a text key the destination's collation puts in the next range: fetched with another range, same key
        RowDiff diff = new RowDiff();
        diff.addSource(List.of(new RowHash("B", 1)));
        diff.addDestination(List.of());
        diff.addSource(List.of());
        diff.addDestination(List.of(new RowHash("B", 1)));

        assertThat(diff.differences(5).any()).isFalse();
    }

    @Test
    void rangeByRangeKeepsOnlyWhatDiffersAndStillMatchesAcrossRanges() {
        RowDiff diff = new RowDiff();
        diff.addRange(
                List.of(new RowHash("1", 1), new RowHash("B", 2), new RowHash("3", 3)),
                List.of(new RowHash("1", 1), new RowHash("3", 4)));
        diff.addRange(
                List.of(new RowHash("5", 5)), List.of(new RowHash("B", 2), new RowHash("5", 5), new RowHash("6", 6)));

        RowDiff.Differences d = diff.differences(5);
        assertThat(d.missing()).isZero();
        assertThat(d.changedKeys()).containsExactly("3");
        assertThat(d.extraKeys()).containsExactly("6");
    }

    @Test
    void keepsTheSmallestExampleKeysAndCountsAll() {
        RowDiff diff = new RowDiff();
        for (int i = 0; i < 100; i++) {
            diff.addSource(List.of(new RowHash(String.format("k%03d", i), i)));
        }
        RowDiff.Differences d = diff.differences(3);
        assertThat(d.missing()).isEqualTo(100);
        assertThat(d.missingKeys()).containsExactly("k000", "k001", "k002");
    }

    @Test
    void duplicateRowsOfAKeylessTableCount() {
        RowDiff diff = new RowDiff();
        diff.addSource(List.of(new RowHash("a", 1), new RowHash("a", 1), new RowHash("b", 2)));
        diff.addDestination(List.of(new RowHash("a", 1), new RowHash("b", 2), new RowHash("b", 2)));

        RowDiff.Differences d = diff.differences(5);
        assertThat(d.missing()).isEqualTo(1);
        assertThat(d.missingKeys()).containsExactly("a");
        assertThat(d.extra()).isEqualTo(1);
        assertThat(d.extraKeys()).containsExactly("b");
    }

    @Test
    void compositeKeysAreShownAsTuples() {
        assertThat(VerifyReport.key(
                        "abc" + RowChecksumSql.SEPARATOR + "7" + RowChecksumSql.SEPARATOR + RowChecksumSql.NULL))
                .isEqualTo("(abc, 7, NULL)");
        assertThat(VerifyReport.key("42")).isEqualTo("42");
    }
}
