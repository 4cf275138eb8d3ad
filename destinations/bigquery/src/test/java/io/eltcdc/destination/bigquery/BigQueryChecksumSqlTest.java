package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import io.eltcdc.destination.testkit.AllTypes;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verify's SQL for BigQuery, as text (no BigQuery here evaluates it; the live suite runs it): every
 * type spelled in GoogleSQL as the canonical text needs it, the MD5's first 64 bits read in two halves,
 * key bounds as typed parameters, names as the loader writes them; JSON refused naming the column.
 * Through the local HTTP endpoint: a table that does not exist has no rows.
 */
class BigQueryChecksumSqlTest {
    private static final TableSchema ITEMS = new TableSchema(
            new TableId("Shop-1", "Order Items"),
            List.of(
                    Column.of("id", ColumnType.INT64),
                    Column.of("_PARTITION", ColumnType.STRING),
                    Column.decimal("amount", 12, 3)),
            List.of("id", "_PARTITION"));

    private FakeBigQueryServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeBigQueryServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private BigQueryTableChecksums checksums() throws Exception {
        BigQueryDestination destination = new BigQueryDestination(new BigQueryOptionsSpec(
                "test-project", "US", null, null, null, null, io.eltcdc.destination.DeleteMode.HARD, server.host()));
        return (BigQueryTableChecksums) destination.checksums().orElseThrow();
    }

    @Test
    void everyTypeIsSpelledInGoogleSql() throws Exception {
        List<Column> columns =
                new ArrayList<>(AllTypes.table(new TableId("s", "t")).columns());
        columns.removeIf(c -> c.type() == ColumnType.JSON);
        TableSchema table = new TableSchema(new TableId("s", "t"), columns, List.of("id"));
        String sql = checksums().checksumQuery(table, KeyRange.ALL, "TRUE");
        assertThat(sql)
                .startsWith("SELECT COUNT(*), CAST(SUM((CAST(CAST(CONCAT('0x', TO_HEX(SUBSTR(MD5(")
                .contains("FROM `test-project`.`s`.`t` WHERE TRUE")
                .contains("FORMAT('%.12f', `c_decimal`)")
                .contains("FORMAT('%.2f', `c_decimal_4`)")
                .contains("CAST(CAST(`c_int` AS INT64) AS STRING)")
                .contains("IS_NAN(`c_real`)")
                .contains("FLOOR(LOG10(ABS(`c_double`)) + 1e-12)")
                .contains("UNIX_DATE(`c_date`)")
                .contains("TIME_DIFF(`c_time`, TIME '00:00:00', MICROSECOND)")
                .contains("UNIX_MICROS(TIMESTAMP(`c_ts`, 'UTC'))")
                .contains("UNIX_MICROS(`c_tstz`)")
                .contains("LOWER(`c_uuid`)")
                .contains("TO_HEX(`c_bytes`)")
                .contains("COALESCE(`c_text`, '\u2400')")
                .contains("'\u241f'")
                .contains(" AS NUMERIC) * 4294967296 + CAST(CONCAT('0x', TO_HEX(SUBSTR(MD5(");
    }

    @Test
    void keyBoundsAreTypedParametersOfTheLoadersNames() throws Exception {
        KeyRange range = new KeyRange(new Object[] {5L, "a"}, new Object[] {9L, "z"});
        String sql = checksums().rowHashesQuery(ITEMS, range, "NOT COALESCE(`_elt_deleted`, FALSE)", 50);
        assertThat(sql)
                .contains("FROM `test-project`.`Shop_1`.`Order Items` WHERE NOT COALESCE(`_elt_deleted`, FALSE)"
                        + " AND ((`id` > @lo0 OR (`id` = @lo0 AND `x_PARTITION` > @lo1)))"
                        + " AND ((`id` < @hi0 OR (`id` = @hi0 AND `x_PARTITION` <= @hi1)))")
                .endsWith(" ORDER BY `id`, `x_PARTITION` LIMIT 50");
        Map<String, QueryParameterValue> parameters = BigQueryTableChecksums.parameters(ITEMS, range);
        assertThat(parameters.get("lo0")).isEqualTo(QueryParameterValue.int64(5L));
        assertThat(parameters.get("hi1")).isEqualTo(QueryParameterValue.string("z"));
        TableSchema timed = new TableSchema(
                new TableId("s", "t"), List.of(Column.of("at", ColumnType.TIMESTAMP_TZ)), List.of("at"));
        QueryParameterValue at = BigQueryTableChecksums.parameters(
                        timed, new KeyRange(new Object[] {Instant.parse("2001-01-01T00:00:00.000001Z")}, null))
                .get("lo0");
        assertThat(at.getType()).isEqualTo(StandardSQLTypeName.TIMESTAMP);
    }

    @Test
    void jsonIsRefusedNamingTheColumn() throws Exception {
        TableSchema table = new TableSchema(
                new TableId("s", "docs"),
                List.of(Column.of("id", ColumnType.INT32), Column.of("doc", ColumnType.JSON)),
                List.of("id"));
        assertThatThrownBy(() -> checksums().checksumQuery(table, KeyRange.ALL, "TRUE"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column 'doc' is JSON");
    }

    @Test
    void aTableThatDoesNotExistHasNoRows() throws Exception {
        assertThat(checksums().checksum(ITEMS, KeyRange.ALL)).isEqualTo(RangeChecksum.EMPTY);
        assertThat(checksums().rowHashes(ITEMS, KeyRange.ALL, 5)).isEmpty();
        assertThat(server.requests())
                .anyMatch(r -> r.method().equals("GET") && r.path().contains("Order"));
    }
}
