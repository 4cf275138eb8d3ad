package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verify's SQL for Snowflake, as text (no Snowflake here evaluates it; the live suite runs it): the
 * loader's names (upper case by default) and types, {@code MD5_NUMBER_UPPER64}, Snowflake's spelling
 * of logarithms, epochs and hex; the loader's catalog query; JSON (VARIANT) refused naming the column.
 */
class SnowflakeChecksumSqlTest {

    @Test
    void everyTypeIsSpelledInSnowflakeSql() {
        List<Column> columns =
                new ArrayList<>(AllTypes.table(new TableId("s", "t")).columns());
        columns.removeIf(c -> c.type() == ColumnType.JSON);
        TableSchema table = new TableSchema(new TableId("s", "t"), columns, List.of("id"));
        SnowflakeSql dialect = new SnowflakeSql(0, SnowflakeNames.UPPER);
        DestinationChecksumSql sql = dialect.checksumSql();
        assertThat(sql.rowHash(table))
                .startsWith(
                        "MD5_NUMBER_UPPER64((COALESCE(CAST(CAST(\"ID\" AS BIGINT) AS VARCHAR), '\u2400') || '\u241f'")
                .contains("CAST(\"C_DECIMAL\" AS VARCHAR)")
                .contains("FLOOR(LOG(10, ABS(\"C_DOUBLE\")) + 1e-12)")
                .contains("\"C_REAL\" IN ('NaN'::FLOAT, 'inf'::FLOAT, '-inf'::FLOAT)")
                .contains("DATEDIFF(day, '1970-01-01'::DATE, \"C_DATE\")")
                .contains("DATEDIFF(microsecond, '00:00:00'::TIME, \"C_TIME\")")
                .contains("DATE_PART(epoch_microsecond, \"C_TS\")")
                .contains("DATE_PART(epoch_microsecond, \"C_TSTZ\")")
                .contains("lower(CAST(\"C_UUID\" AS VARCHAR))")
                .contains("HEX_ENCODE(\"C_BYTES\", 0)");
        assertThat(new SnowflakeSql(0, SnowflakeNames.SOURCE).checksumSql().keyText(table))
                .isEqualTo("COALESCE(CAST(CAST(\"id\" AS BIGINT) AS VARCHAR), '\u2400')");
        assertThat(dialect.columnsQuery()).isEqualTo(SnowflakeDdlSql.columnsQuery());
        assertThat(dialect.identifier("_elt_deleted")).isEqualTo("_ELT_DELETED");
    }

    @Test
    void jsonIsRefusedNamingTheColumn() {
        TableSchema table = new TableSchema(
                new TableId("s", "docs"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("doc", ColumnType.JSON)),
                List.of("id"));
        assertThatThrownBy(() ->
                        new SnowflakeSql(0, SnowflakeNames.UPPER).checksumSql().rowHash(table))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column 'doc' is JSON, which Snowflake keeps as VARIANT");
    }
}
