package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlTestSql.exec;
import static io.eltcdc.source.mysql.MySqlTestSql.numbers;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.snapshot.SnapshotSource;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.testing.TestMySql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The snapshot source reading MySQL / MariaDB in a Flink mini cluster with two readers: every row
 * of every selected table arrives exactly once, with values equal to the server's
 * ({@link MySqlReference}), typed as the pipeline's column types say.
 */
class MySqlSnapshotSourceTest {
    private static final int PARALLELISM = 2;
    private static final String DB = "src_mysql_source";
    private static final String OTHER_DB = "src_mysql_source_other";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    private static String url;
    private static String otherUrl;
    private static TimeZone jvmZone;

    @BeforeAll
    static void createTables() throws SQLException {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
        url = TestMySql.createDatabase(DB);
        otherUrl = TestMySql.createDatabase(OTHER_DB);
        MySqlAllTypes.create(url, 255);
        exec(
                url,
                "CREATE TABLE `Odd ``Table` (`Order` int PRIMARY KEY, `Value` text, `quote\"d` int)",
                "INSERT INTO `Odd ``Table` SELECT n, CONCAT('val ', n), n * 2 FROM " + numbers(150),
                "CREATE TABLE composite (a int, b varchar(10), v decimal(10,2), PRIMARY KEY (a, b))",
                "INSERT INTO composite SELECT 1 + n % 12, CONCAT(IF(n % 2 = 0, 'b', 'B'), n), n / 100 FROM "
                        + numbers(300),
                "CREATE TABLE skewed (id bigint PRIMARY KEY, v varchar(10))",
                "INSERT INTO skewed SELECT n, 'dense' FROM " + numbers(200),
                "INSERT INTO skewed SELECT n * 1000000000000, 'sparse' FROM " + numbers(200),
                "CREATE TABLE text_key (k varchar(40) PRIMARY KEY, n int)",
                "INSERT INTO text_key SELECT CONCAT(IF(n % 2 = 0, 'k', 'K'), MD5(n)), n FROM " + numbers(250),
                "CREATE TABLE unsigned_key (id bigint unsigned PRIMARY KEY, v int)",
                "INSERT INTO unsigned_key SELECT 18446744073709551615 - n, n FROM " + numbers(230),
                "CREATE TABLE empty_t (id int PRIMARY KEY, v text)",
                "CREATE TABLE keyless (v int, w varchar(20))",
                "INSERT INTO keyless SELECT n, IF(n % 5 = 0, NULL, CONCAT('w', n)) FROM " + numbers(120),
                "CREATE TABLE custom_keyed (code varchar(10) NOT NULL, v int)",
                "INSERT INTO custom_keyed SELECT CONCAT('c', n), n FROM " + numbers(230));
        exec(
                otherUrl,
                "CREATE TABLE t (id int PRIMARY KEY, v varchar(10))",
                "INSERT INTO t SELECT n, CONCAT('o', n) FROM " + numbers(210),
                "CREATE TABLE not_selected (id int PRIMARY KEY)");
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(jvmZone);
    }

    @Test
    void readsEveryRowOfEveryTableOnceWithExactValues() throws Exception {
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .tablePatterns(List.of(DB + ".*", OTHER_DB + ".t"))
                .customKey(DB + ".custom_keyed", List.of("code"))
                .chunkSize(100)
                .build();

        Map<TableId, List<ChangeRecord>> byTable = run(new SnapshotSource(config));

        List<String> tables = List.of(
                "Odd `Table",
                "all_types",
                "composite",
                "custom_keyed",
                "keyless",
                "skewed",
                "text_key",
                "unsigned_key");
        List<TableId> expectedIds =
                new ArrayList<>(tables.stream().map(t -> new TableId(DB, t)).toList());
        expectedIds.add(new TableId(OTHER_DB, "t"));
        assertThat(byTable.keySet()).containsExactlyInAnyOrderElementsOf(expectedIds);
        for (TableId id : expectedIds) {
            assertSameRows(id, byTable.get(id));
        }
        assertThat(byTable.get(new TableId(DB, "all_types"))).hasSize(260);
        assertThat(byTable.get(new TableId(DB, "Odd `Table")).get(0).schema().columns())
                .extracting(Column::name)
                .containsExactly("Order", "Value", "quote\"d");
        assertThat(byTable.get(new TableId(DB, "custom_keyed")).get(0).schema().keyColumns())
                .containsExactly("code");
    }

    /** The records of {@code table} hold the rows the server holds, each once, each value of its column's class. */
    private static void assertSameRows(TableId table, List<ChangeRecord> records) throws SQLException {
        TableSchema schema = records.get(0).schema();
        String tableUrl = table.schema().equals(DB) ? url : otherUrl;
        List<List<Object>> expected = MySqlReference.rows(tableUrl, schema).stream()
                .map(MySqlReference::comparable)
                .toList();
        List<List<Object>> actual = new ArrayList<>();
        for (ChangeRecord r : records) {
            assertThat(r.op()).isEqualTo(Op.READ);
            for (int i = 0; i < r.values().length; i++) {
                if (r.value(i) != null) {
                    assertThat(r.value(i))
                            .as("%s column %s", table, schema.columns().get(i).name())
                            .isInstanceOf(schema.columns().get(i).type().javaClass());
                }
            }
            actual.add(MySqlReference.comparable(r.values()));
        }
        assertThat(actual).as(table.toString()).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Map<TableId, List<ChangeRecord>> run(SnapshotSource source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        Map<TableId, List<ChangeRecord>> byTable = new HashMap<>();
        try (CloseableIterator<ChangeRecord> records = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "snapshot")
                .collectAsync()) {
            JobClient job = env.executeAsync("mysql snapshot");
            records.forEachRemaining(r ->
                    byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r));
            job.getJobExecutionResult().get();
        }
        return byTable;
    }
}
