package io.eltcdc.staging;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableId;
import org.junit.jupiter.api.Test;

class TableBucketAssignerTest {
    @Test
    void bucketIdsAreSafePathsAndGiveTheTableBack() {
        for (TableId table : new TableId[] {
            new TableId("public", "orders"),
            new TableId("hidden", "Odd Table"),
            new TableId("a.b", "c/d"),
            new TableId("ü", "%20~7E"),
            new TableId("..", "..")
        }) {
            String bucket = TableBucketAssigner.bucketOf(table, "v1234abcd");
            assertThat(bucket).matches("[A-Za-z0-9_~-]+\\.[A-Za-z0-9_~-]+/v1234abcd");
            assertThat(TableBucketAssigner.tableOf(bucket)).isEqualTo(table);
        }
    }
}
