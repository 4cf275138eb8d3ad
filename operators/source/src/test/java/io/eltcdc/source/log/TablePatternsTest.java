package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which tables created after the start the patterns select, and the log filters made of them. */
class TablePatternsTest {
    private final TablePatterns patterns = new TablePatterns(
            List.of("shop.*", "sales.orders", "odd.a.b"), Map.of("shop.events", List.of("at", "seq")));

    @Test
    void schemaPatternsSelectEveryTableOfTheSchemaAndNamesExactlyOne() {
        assertThat(patterns.selects(new TableId("shop", "created_later"))).isTrue();
        assertThat(patterns.selects(new TableId("sales", "orders"))).isTrue();
        assertThat(patterns.selects(new TableId("sales", "returns"))).isFalse();
        assertThat(patterns.selects(new TableId("sales", "Orders")))
                .as("case-sensitive")
                .isFalse();
        assertThat(patterns.selects(new TableId("odd", "a.b")))
                .as("split at the first dot")
                .isTrue();
        assertThat(patterns.selects(new TableId("shopping", "x"))).isFalse();
    }

    @Test
    void customKeysGoWithTheirTable() {
        assertThat(patterns.customKey(new TableId("shop", "events"))).containsExactly("at", "seq");
        assertThat(patterns.customKey(new TableId("shop", "orders"))).isNull();
    }

    @Test
    void schemasAreThoseThePatternsName() {
        assertThat(patterns.schemas()).containsExactly("shop", "sales", "odd");
    }

    @Test
    void logFiltersMatchTablesCreatedLaterAndNothingElse() {
        List<Pattern> filters =
                Arrays.stream(patterns.logFilters()).map(Pattern::compile).toList();

        assertThat(matches(filters, "shop.created_later")).isTrue();
        assertThat(matches(filters, "shop.with space")).isTrue();
        assertThat(matches(filters, "sales.orders")).isTrue();
        assertThat(matches(filters, "odd.a.b")).isTrue();
        assertThat(matches(filters, "odd.aXb")).as("dots are literal").isFalse();
        assertThat(matches(filters, "sales.orders2")).isFalse();
        assertThat(matches(filters, "shopX.t")).isFalse();
        assertThat(TablePatterns.logFilter(new TableId("a$", "t(1)"))).isEqualTo("a\\$\\.t\\(1\\)");
    }

    /** Debezium matches a filter against the whole {@code schema.table}. */
    private static boolean matches(List<Pattern> filters, String table) {
        return filters.stream().anyMatch(p -> p.matcher(table).matches());
    }
}
