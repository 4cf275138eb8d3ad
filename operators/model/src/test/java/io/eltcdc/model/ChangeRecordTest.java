package io.eltcdc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRecordTest {
    private static final TableSchema DOCS = new TableSchema(
            new TableId("s", "docs"),
            List.of(
                    Column.of("id", ColumnType.INT64),
                    Column.of("title", ColumnType.STRING),
                    Column.of("body", ColumnType.STRING),
                    Column.of("meta", ColumnType.JSON)),
            List.of("id"));
    private static final Position AT = new Position(0, 5);

    @Test
    void recordsSendEveryColumnUnlessToldOtherwise() {
        ChangeRecord record = new ChangeRecord(DOCS, Op.UPDATE, AT, new Object[] {1L, "t", null, null});
        assertThat(record.unchangedColumns()).isEmpty();
        assertThat(record.hasUnchangedColumns()).isFalse();
        assertThat(new ChangeRecord(DOCS, Op.UPDATE, AT, new Object[] {1L, "t", null, null}, new int[0])
                        .unchangedColumns())
                .isEmpty();
    }

    @Test
    void unchangedColumnsAreKept() {
        ChangeRecord record =
                new ChangeRecord(DOCS, Op.UPDATE, AT, new Object[] {1L, "t", null, null}, new int[] {2, 3});
        assertThat(record.unchangedColumns()).containsExactly(2, 3);
        assertThat(record.hasUnchangedColumns()).isTrue();
        assertThat(record.toString()).endsWith("unchanged [2, 3]");
    }

    @Test
    void unchangedColumnsMustBeAscendingNullNonKeyColumns() {
        Object[] values = {1L, "t", null, null};
        assertThatThrownBy(() -> new ChangeRecord(DOCS, Op.UPDATE, AT, values, new int[] {3, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> new ChangeRecord(DOCS, Op.UPDATE, AT, values, new int[] {2, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> new ChangeRecord(DOCS, Op.UPDATE, AT, values, new int[] {4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below 4");
        assertThatThrownBy(() -> new ChangeRecord(DOCS, Op.UPDATE, AT, values, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column 'id'");
        assertThatThrownBy(() -> new ChangeRecord(DOCS, Op.UPDATE, AT, values, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'title'")
                .hasMessageContaining("has a value");
        assertThatThrownBy(() -> new ChangeRecord(DOCS, Op.UPDATE, AT, values, null))
                .isInstanceOf(NullPointerException.class);
    }
}
