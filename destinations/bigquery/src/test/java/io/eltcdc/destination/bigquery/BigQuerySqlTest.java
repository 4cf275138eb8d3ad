package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.StandardSQLTypeName;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.bigquery.BigQueryTypeChange.Verdict;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GoogleSQL the destination writes: names, quoting, types, DDL, merge statements and the transaction. */
class BigQuerySqlTest {
    private static final String TARGET = "`p`.`shop`.`items`";
    private static final String STAGE = "`p`.`elt_cdc_staging`.`eltcdc_x_p0`";
    private static final List<StagedColumn> ITEMS = List.of(
            new StagedColumn(0, "id", "id", Column.of("id", ColumnType.INT32), true),
            new StagedColumn(1, "name", "name", Column.of("name", ColumnType.STRING), false));
    private static final List<String> ITEM_COLUMNS =
            List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at");

    @Test
    void identifiersAreQuotedWithBackticksReservedWordsIncluded() {
        assertThat(BigQueryNames.quote("select")).isEqualTo("`select`");
        assertThat(BigQueryNames.quote("Order Items")).isEqualTo("`Order Items`");
        assertThat(BigQueryNames.quote("a`b\\c")).isEqualTo("`a\\`b\\\\c`");
        assertThat(BigQueryNames.qualified("my-project", "shop", "from")).isEqualTo("`my-project`.`shop`.`from`");
        assertThat(BigQueryNames.literal("it's a \\ test\n")).isEqualTo("'it\\'s a \\\\ test\\n'");
    }

    @Test
    void namesBigQueryCannotTakeAreMappedTheSameWayEveryTime() {
        assertThat(BigQueryNames.dataset("Odd Schema")).isEqualTo("Odd_Schema");
        assertThat(BigQueryNames.dataset("shop")).isEqualTo("shop");
        assertThat(BigQueryNames.table("Order Items")).isEqualTo("Order Items");
        assertThat(BigQueryNames.table("a.b/c")).isEqualTo("a_b_c");
        assertThat(BigQueryNames.column("Mixed Case \"quoted\"")).isEqualTo("Mixed Case _quoted_");
        assertThat(BigQueryNames.column("select")).isEqualTo("select");
        assertThat(BigQueryNames.column("größe")).isEqualTo("größe");
        assertThat(BigQueryNames.column("_PARTITIONTIME")).isEqualTo("x_PARTITIONTIME");
        assertThat(BigQueryNames.label("Shop Pipeline!")).isEqualTo("shop_pipeline_");
        assertThatThrownBy(() -> BigQueryNames.dataset("")).hasMessageContaining("destination.schema");
    }

    @Test
    void everyColumnTypeHasABigQueryType() {
        Map<ColumnType, String> expected = new EnumMap<>(ColumnType.class);
        expected.put(ColumnType.INT32, "INT64");
        expected.put(ColumnType.INT64, "INT64");
        expected.put(ColumnType.FLOAT32, "FLOAT64");
        expected.put(ColumnType.FLOAT64, "FLOAT64");
        expected.put(ColumnType.BOOLEAN, "BOOL");
        expected.put(ColumnType.DECIMAL, "NUMERIC(12, 2)");
        expected.put(ColumnType.DECIMAL_TEXT, "STRING");
        expected.put(ColumnType.STRING, "STRING");
        expected.put(ColumnType.DATE, "DATE");
        expected.put(ColumnType.TIME, "TIME");
        expected.put(ColumnType.TIMESTAMP, "DATETIME");
        expected.put(ColumnType.TIMESTAMP_TZ, "TIMESTAMP");
        expected.put(ColumnType.UUID, "STRING");
        expected.put(ColumnType.JSON, "JSON");
        expected.put(ColumnType.BYTES, "BYTES");
        for (ColumnType type : ColumnType.values()) {
            Column column = type == ColumnType.DECIMAL ? Column.decimal("c", 12, 2) : Column.of("c", type);
            assertThat(BigQueryType.of(column).sql()).as(type.name()).isEqualTo(expected.get(type));
        }
    }

    @Test
    void decimalsAreNumericWhereItHoldsThemElseBignumeric() {
        assertThat(BigQueryType.of(Column.decimal("c", 38, 9)).sql()).isEqualTo("NUMERIC(38, 9)"); // 29 integer digits
        assertThat(BigQueryType.of(Column.decimal("c", 38, 10)).sql()).isEqualTo("BIGNUMERIC(38, 10)"); // scale > 9
        assertThat(BigQueryType.of(Column.decimal("c", 29, 0)).sql()).isEqualTo("NUMERIC(29, 0)");
        assertThat(BigQueryType.of(Column.decimal("c", 30, 0)).sql()).isEqualTo("BIGNUMERIC(30, 0)");
        assertThat(BigQueryType.of(Column.decimal("c", 38, 0)).sql()).isEqualTo("BIGNUMERIC(38, 0)");
        assertThat(BigQueryType.of(Column.decimal("c", 4, 2)).sql()).isEqualTo("NUMERIC(4, 2)");
        // _elt_position is staged as decimal(38, 0): 38 integer digits need BIGNUMERIC.
        assertThat(BigQueryType.POSITION.sql()).isEqualTo("BIGNUMERIC(38, 0)");
    }

    @Test
    void typeChangesWidenWhereBigQueryCan() {
        BigQueryType int64 = BigQueryType.of(StandardSQLTypeName.INT64);
        assertThat(BigQueryTypeChange.judge(int64, int64)).isEqualTo(Verdict.SAME);
        assertThat(BigQueryTypeChange.judge(dec("NUMERIC", 6, 2), dec("NUMERIC", 12, 3)))
                .isEqualTo(Verdict.WIDEN);
        assertThat(BigQueryTypeChange.judge(dec("NUMERIC", 12, 3), dec("NUMERIC", 6, 2)))
                .isEqualTo(Verdict.SAME);
        assertThat(BigQueryTypeChange.judge(dec("NUMERIC", 20, 2), dec("BIGNUMERIC", 38, 12)))
                .isEqualTo(Verdict.WIDEN);
        assertThat(BigQueryTypeChange.judge(int64, dec("NUMERIC", 25, 2))).isEqualTo(Verdict.WIDEN);
        assertThat(BigQueryTypeChange.judge(int64, dec("NUMERIC", 10, 2))).isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(BigQueryTypeChange.judge(dec("NUMERIC", 6, 2), int64)).isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(BigQueryTypeChange.judge(
                        BigQueryType.of(StandardSQLTypeName.DATE), BigQueryType.of(StandardSQLTypeName.STRING)))
                .isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(BigQueryTypeChange.judge(int64, BigQueryType.of(StandardSQLTypeName.STRING)))
                .isEqualTo(Verdict.INCOMPATIBLE); // BigQuery cannot ALTER INT64 to STRING
    }

    private static BigQueryType dec(String name, int precision, int scale) {
        return new BigQueryType(StandardSQLTypeName.valueOf(name), precision, scale);
    }

    @Test
    void createTableIsClusteredByTheKeyAndDescribesEachColumn() {
        List<Column> columns = List.of(
                new Column("id", ColumnType.INT32, 0, 0, false, "int4"),
                new Column("Mixed \"q\"", ColumnType.JSON, 0, 0, true, "jsonb"));
        assertThat(BigQueryDdl.createTable(TARGET, columns, List.of("id"), DeleteMode.HARD))
                .isEqualTo("CREATE TABLE IF NOT EXISTS `p`.`shop`.`items` ("
                        + "`id` INT64 OPTIONS (description = 'source type: int4; elt-cdc type: INT32'), "
                        + "`Mixed _q_` JSON OPTIONS (description = 'source column: Mixed \"q\"; source type: jsonb;"
                        + " elt-cdc type: JSON'), "
                        + "`_elt_op` STRING, `_elt_position` BIGNUMERIC(38, 0), `_elt_synced_at` TIMESTAMP)"
                        + " CLUSTER BY `id`");
        assertThat(BigQueryDdl.createTable(
                        TARGET, List.of(Column.of("b", ColumnType.BYTES)), List.of("b"), DeleteMode.SOFT))
                .endsWith("`_elt_synced_at` TIMESTAMP, `_elt_deleted` BOOL)"); // BYTES: no clustering
        assertThat(BigQueryDdl.addColumns(TARGET, List.of("`a` INT64", "`_elt_deleted` BOOL")))
                .isEqualTo(
                        "ALTER TABLE `p`.`shop`.`items` ADD COLUMN IF NOT EXISTS `a` INT64, ADD COLUMN IF NOT EXISTS `_elt_deleted` BOOL");
        assertThat(BigQueryDdl.widenColumn(TARGET, "price", dec("NUMERIC", 12, 3)))
                .isEqualTo("ALTER TABLE `p`.`shop`.`items` ALTER COLUMN `price` SET DATA TYPE NUMERIC(12, 3)");
        assertThat(BigQueryDdl.createStagingDataset("p", "elt_cdc_staging", "EU"))
                .isEqualTo("CREATE SCHEMA IF NOT EXISTS `p`.`elt_cdc_staging` OPTIONS (location = 'EU',"
                        + " default_table_expiration_days = 1, description = 'elt-cdc staging tables: one per batch and"
                        + " part, dropped once merged')");
    }

    @Test
    void hardDeleteMergeOfABatchWithoutUnsentColumns() {
        MergeStatements merge =
                new MergeStatements(TARGET, "shop.items", STAGE, ITEMS, false, ITEM_COLUMNS, DeleteMode.HARD);
        assertThat(merge.statements())
                .containsExactly(
                        "MERGE INTO `p`.`shop`.`items` AS t\n"
                                + "USING (SELECT * FROM `p`.`elt_cdc_staging`.`eltcdc_x_p0` AS s WHERE TRUE QUALIFY ROW_NUMBER()"
                                + " OVER (PARTITION BY s.`id` ORDER BY s.`_elt_position` DESC) = 1) AS w\n"
                                + "ON t.`id` = w.`id`\n"
                                + "WHEN MATCHED AND w.`_elt_op` = 'DELETE' AND (t.`_elt_position` IS NULL OR t.`_elt_position`"
                                + " < w.`_elt_position`) THEN DELETE\n"
                                + "WHEN MATCHED AND w.`_elt_op` <> 'DELETE' AND (t.`_elt_position` IS NULL OR t.`_elt_position`"
                                + " < w.`_elt_position`) THEN UPDATE SET `name` = w.`name`, `_elt_op` = w.`_elt_op`,"
                                + " `_elt_position` = w.`_elt_position`, `_elt_synced_at` = CURRENT_TIMESTAMP()\n"
                                + "WHEN NOT MATCHED AND w.`_elt_op` <> 'DELETE' THEN INSERT (`id`, `name`, `_elt_op`,"
                                + " `_elt_position`, `_elt_synced_at`) VALUES (w.`id`, w.`name`, w.`_elt_op`, w.`_elt_position`,"
                                + " CURRENT_TIMESTAMP());",
                        "SET rows_merged = rows_merged + COALESCE(@@row_count, 0);");
    }

    @Test
    void softDeleteMergeFillsTheValuesWinnersLack() {
        MergeStatements merge =
                new MergeStatements(TARGET, "shop.items", STAGE, ITEMS, true, ITEM_COLUMNS, DeleteMode.SOFT);
        List<String> statements = merge.statements();
        assertThat(statements.get(0))
                .isEqualTo("ASSERT NOT EXISTS (SELECT 1 FROM `p`.`elt_cdc_staging`.`eltcdc_x_p0`"
                        + " AS s WHERE 0 IN UNNEST(s.`_elt_unchanged`)) AS 'a staged record of shop.items lacks the value of key"
                        + " column id';");
        assertThat(statements.get(1))
                .isEqualTo(
                        "SET needs_fill = (SELECT COALESCE(LOGICAL_OR(s.`_elt_op` = 'DELETE'"
                                + " OR ARRAY_LENGTH(s.`_elt_unchanged`) > 0), FALSE) FROM `p`.`elt_cdc_staging`.`eltcdc_x_p0` AS s);");
        assertThat(statements.subList(2, statements.size()))
                .containsExactly(
                        "IF needs_fill THEN",
                        merge.merge(true) + ";",
                        "SET rows_merged = rows_merged + COALESCE(@@row_count, 0);",
                        "ELSE",
                        merge.merge(false) + ";",
                        "SET rows_merged = rows_merged + COALESCE(@@row_count, 0);",
                        "END IF;");
        assertThat(merge.merge(true))
                .isEqualTo("MERGE INTO `p`.`shop`.`items` AS t\n"
                        + "USING (SELECT * EXCEPT (_elt_rank) FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.`id` ORDER BY"
                        + " s.`_elt_position` DESC) AS _elt_rank, LAST_VALUE(IF(s.`_elt_op` <> 'DELETE' AND 1 NOT IN"
                        + " UNNEST(s.`_elt_unchanged`), STRUCT(s.`name` AS v, s.`_elt_position` AS p), NULL) IGNORE NULLS)"
                        + " OVER (PARTITION BY s.`id` ORDER BY s.`_elt_position` ROWS BETWEEN UNBOUNDED PRECEDING AND 1"
                        + " PRECEDING) AS _elt_fill_1 FROM `p`.`elt_cdc_staging`.`eltcdc_x_p0` AS s) WHERE _elt_rank = 1) AS w\n"
                        + "ON t.`id` = w.`id`\n"
                        + "WHEN MATCHED AND (t.`_elt_position` IS NULL OR t.`_elt_position` < w.`_elt_position`) THEN UPDATE SET"
                        + " `name` = IF((w.`_elt_op` = 'DELETE' OR 1 IN UNNEST(w.`_elt_unchanged`)), IF(w._elt_fill_1 IS NOT"
                        + " NULL AND (t.`_elt_position` IS NULL OR t.`_elt_position` < w._elt_fill_1.p), w._elt_fill_1.v,"
                        + " t.`name`), w.`name`), `_elt_op` = w.`_elt_op`, `_elt_position` = w.`_elt_position`,"
                        + " `_elt_synced_at` = CURRENT_TIMESTAMP(), `_elt_deleted` = (w.`_elt_op` = 'DELETE')\n"
                        + "WHEN NOT MATCHED THEN INSERT (`id`, `name`, `_elt_op`, `_elt_position`, `_elt_synced_at`,"
                        + " `_elt_deleted`) VALUES (w.`id`, IF((w.`_elt_op` = 'DELETE' OR 1 IN UNNEST(w.`_elt_unchanged`)),"
                        + " w._elt_fill_1.v, w.`name`), w.`_elt_op`, w.`_elt_position`, CURRENT_TIMESTAMP(),"
                        + " (w.`_elt_op` = 'DELETE'))");
    }

    @Test
    void jsonIsParsedAndDroppedColumnsBecomeNull() {
        List<StagedColumn> columns = List.of(
                ITEMS.get(0),
                new StagedColumn(1, "Mixed__q_", "Mixed _q_", Column.of("Mixed \"q\"", ColumnType.JSON), false));
        MergeStatements merge = new MergeStatements(
                TARGET,
                "shop.items",
                STAGE,
                columns,
                false,
                List.of("id", "Mixed _q_", "old", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted"),
                DeleteMode.HARD);
        assertThat(merge.merge(false))
                .contains("UPDATE SET `Mixed _q_` = PARSE_JSON(w.`Mixed__q_`), `old` = NULL,")
                .contains("`_elt_deleted` = (w.`_elt_op` = 'DELETE')") // a target of soft deletes earlier
                .contains("VALUES (w.`id`, PARSE_JSON(w.`Mixed__q_`), w.`_elt_op`");
    }

    @Test
    void aTableWithoutKeyIsAppendedTo() {
        List<StagedColumn> columns =
                List.of(new StagedColumn(0, "message", "message", Column.of("message", ColumnType.STRING), false));
        MergeStatements soft = new MergeStatements(
                "`p`.`logs`.`events`",
                "logs.events",
                STAGE,
                columns,
                true,
                List.of("message", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted"),
                DeleteMode.SOFT);
        assertThat(soft.statements())
                .containsExactly(
                        "INSERT INTO `p`.`logs`.`events` (`message`, `_elt_op`,"
                                + " `_elt_position`, `_elt_synced_at`, `_elt_deleted`)\nSELECT s.`message`, s.`_elt_op`,"
                                + " s.`_elt_position`, CURRENT_TIMESTAMP(), (s.`_elt_op` = 'DELETE') FROM"
                                + " `p`.`elt_cdc_staging`.`eltcdc_x_p0` AS s;",
                        "SET rows_merged = rows_merged + COALESCE(@@row_count, 0);");
    }

    @Test
    void timestampMicrosBecomeDatetimeWhereverAStagedValueIsWritten() {
        // Staged as INT64 micros (StagedLayout): appended, filled from an earlier record, and matched as a key.
        StagedColumn at =
                new StagedColumn(0, "at", "at", new Column("at", ColumnType.TIMESTAMP, 0, 0, false, "ts"), true);
        StagedColumn seen = new StagedColumn(1, "seen", "seen", Column.of("seen", ColumnType.TIMESTAMP), false);
        List<String> targetColumns = List.of("at", "seen", "_elt_op", "_elt_position", "_elt_synced_at");
        MergeStatements keyed = new MergeStatements(
                TARGET, "shop.events", STAGE, List.of(at, seen), true, targetColumns, DeleteMode.HARD);
        assertThat(keyed.merge(true))
                .contains("ON t.`at` = DATETIME(TIMESTAMP_MICROS(w.`at`))")
                .contains("IF((1 IN UNNEST(w.`_elt_unchanged`)), DATETIME(TIMESTAMP_MICROS(w._elt_fill_1.v)),"
                        + " DATETIME(TIMESTAMP_MICROS(w.`seen`)))");
        MergeStatements append =
                new MergeStatements(TARGET, "shop.events", STAGE, List.of(seen), false, targetColumns, DeleteMode.HARD);
        assertThat(append.append()).contains("SELECT DATETIME(TIMESTAMP_MICROS(s.`seen`)), s.`_elt_op`");
    }

    @Test
    void filesOnCloudStorageAreLoadedByTheirUris() {
        StagingLoader loader =
                new StagingLoader(null, null, "p", "elt_cdc_staging", Map.of("elt-cdc-pipeline", "shop"));
        com.google.cloud.bigquery.LoadJobConfiguration load = loader.loadFromCloudStorage(
                com.google.cloud.bigquery.TableId.of("p", "elt_cdc_staging", "eltcdc_x_p0"),
                List.of("gs://bucket/shop/part-1.avro", "gs://bucket/shop/part-2.avro"));
        assertThat(load.getSourceUris())
                .containsExactly("gs://bucket/shop/part-1.avro", "gs://bucket/shop/part-2.avro");
        assertThat(load.getFormat()).isEqualTo("AVRO");
        assertThat(load.getUseAvroLogicalTypes()).isTrue();
        assertThat(load.getDecimalTargetTypes()).containsExactly("NUMERIC", "BIGNUMERIC", "STRING");
        assertThat(load.getWriteDisposition())
                .isEqualTo(com.google.cloud.bigquery.JobInfo.WriteDisposition.WRITE_TRUNCATE);
        assertThat(load.getDestinationTable().getTable()).isEqualTo("eltcdc_x_p0");
        assertThat(load.getLabels()).containsEntry("elt-cdc-pipeline", "shop");
    }

    @Test
    void theTransactionChecksTheLedgerMergesAndRecordsTheBatch() {
        MergeStatements merge =
                new MergeStatements(TARGET, "shop.items", STAGE, ITEMS, false, ITEM_COLUMNS, DeleteMode.HARD);
        String script = TransactionScript.of("`p`.`elt_cdc`.`loads`", List.of(merge));
        assertThat(script)
                .isEqualTo("DECLARE already_loaded BOOL DEFAULT FALSE;\n"
                        + "DECLARE rows_merged INT64 DEFAULT 0;\n"
                        + "DECLARE needs_fill BOOL DEFAULT FALSE;\n"
                        + "BEGIN\n"
                        + "BEGIN TRANSACTION;\n"
                        + "SET already_loaded = EXISTS (SELECT 1 FROM `p`.`elt_cdc`.`loads` WHERE pipeline = @pipeline"
                        + " AND table_name = @table_name AND batch_id = @batch_id);\n"
                        + "IF NOT already_loaded THEN\n"
                        + merge.merge(false) + ";\n"
                        + "SET rows_merged = rows_merged + COALESCE(@@row_count, 0);\n"
                        + "INSERT INTO `p`.`elt_cdc`.`loads` (pipeline, table_name, batch_id, files, rows_staged, loaded_at)"
                        + " VALUES (@pipeline, @table_name, @batch_id, @files, @rows_staged, CURRENT_TIMESTAMP());\n"
                        + "END IF;\n"
                        + "COMMIT TRANSACTION;\n"
                        + "EXCEPTION WHEN ERROR THEN\n"
                        + "ROLLBACK TRANSACTION;\n"
                        + "RAISE USING MESSAGE = @@error.message;\n"
                        + "END;\n"
                        + "SELECT already_loaded, rows_merged;\n");
        // An empty batch only records itself.
        assertThat(TransactionScript.of("`p`.`elt_cdc`.`loads`", List.of()))
                .contains("IF NOT already_loaded THEN\n" + "INSERT INTO `p`.`elt_cdc`.`loads`");
    }
}
