package io.eltcdc.destination.snowflake;

import static io.eltcdc.destination.snowflake.RecordingConnection.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Snowflake's upper-case names ({@code identifier-case: upper}, the default): the rule, and the
 * statements of a table's creation, schema changes, staging and merge under it.
 */
class SnowflakeNamesTest {
    private static final SnowflakeNames UPPER = SnowflakeNames.UPPER;
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableSchema ITEMS_V1 = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));
    private static final TargetTable TARGET = UPPER.target(ITEMS, null);
    private static final SnowflakeDdlSql DDL = new SnowflakeDdlSql(UPPER);

    @Test
    void namesSnowflakeTakesUnquotedAreKeptInUpperCaseOthersAsGiven() {
        assertThat(SnowflakeNames.isUnquotedIdentifier("orders")).isTrue();
        assertThat(SnowflakeNames.isUnquotedIdentifier("_elt_op")).isTrue();
        assertThat(SnowflakeNames.isUnquotedIdentifier("price$2")).isTrue();
        assertThat(SnowflakeNames.isUnquotedIdentifier("Order Items")).isFalse();
        assertThat(SnowflakeNames.isUnquotedIdentifier("2nd")).isFalse();
        assertThat(SnowflakeNames.isUnquotedIdentifier("größe")).isFalse();
        assertThat(SnowflakeNames.isUnquotedIdentifier("x".repeat(256))).isFalse();

        assertThat(UPPER.identifier("orders")).isEqualTo("ORDERS");
        assertThat(UPPER.identifier("MixedCase")).isEqualTo("MIXEDCASE");
        assertThat(UPPER.identifier("_elt_synced_at")).isEqualTo("_ELT_SYNCED_AT");
        assertThat(UPPER.identifier("Order Items")).isEqualTo("Order Items");
        assertThat(UPPER.identifier("select")).isEqualTo("SELECT"); // a keyword: quoted, as every name is
        assertThat(UPPER.quote("orders")).isEqualTo("\"ORDERS\"");
        assertThat(UPPER.identifier(UPPER.identifier("orders"))).isEqualTo("ORDERS"); // converting twice is once
        assertThat(SnowflakeNames.SOURCE.identifier("orders")).isEqualTo("orders");
        assertThat(SnowflakeNames.SOURCE.quote("Order Items")).isEqualTo("\"Order Items\"");

        // The stage's storage integration follows the same rule: unquoted exactly when Snowflake takes it so.
        assertThat(SnowflakeStage.objectName("elt_s3")).isEqualTo("elt_s3");
        assertThat(SnowflakeStage.objectName("elt s3")).isEqualTo("\"elt s3\"");
    }

    @Test
    void targetTablesAreNamedByTheRuleAndTheSchemaOverrideToo() {
        assertThat(UPPER.target(new TableId("public", "orders"), null).sql()).isEqualTo("\"PUBLIC\".\"ORDERS\"");
        assertThat(UPPER.target(new TableId("Odd Schema", "Order Items"), null).sql())
                .isEqualTo("\"Odd Schema\".\"Order Items\"");
        assertThat(UPPER.target(new TableId("public", "orders"), "analytics").sql())
                .isEqualTo("\"ANALYTICS\".\"ORDERS\"");
        assertThat(SnowflakeNames.SOURCE
                        .target(new TableId("public", "orders"), null)
                        .sql())
                .isEqualTo("\"public\".\"orders\"");
    }

    @Test
    void columnsKeysAndRenamesAreNamedByTheRule() {
        TableSchema paints = new TableSchema(
                new TableId("shop", "paints"),
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("Colour Name", ColumnType.STRING),
                        Column.of("price", ColumnType.STRING)),
                List.of("id"),
                Map.of("Colour Name", "color", "price", "Price"));
        TableSchema named = UPPER.columnsOf(paints);
        assertThat(named.columns().stream().map(Column::name)).containsExactly("ID", "Colour Name", "PRICE");
        assertThat(named.keyColumns()).containsExactly("ID");
        // color -> Colour Name is a rename; Price -> price only changes case: one column PRICE, no rename.
        assertThat(named.renamedFrom()).isEqualTo(Map.of("Colour Name", "COLOR"));
        assertThat(named.id()).isEqualTo(paints.id());
        assertThat(SnowflakeNames.SOURCE.columnsOf(paints)).isEqualTo(paints);
    }

    @Test
    void namesThatWouldBecomeOneAreRefusedNotMerged() {
        TableSchema twoIds = new TableSchema(
                ITEMS, List.of(Column.of("Id", ColumnType.INT32), Column.of("id", ColumnType.INT32)), List.of("id"));
        assertThatThrownBy(() -> UPPER.columnsOf(twoIds))
                .hasMessageContaining("columns 'Id' and 'id' of shop.items are one column, ID")
                .hasMessageContaining("destination.identifier-case: source");
        assertThat(SnowflakeNames.SOURCE.columnsOf(twoIds).columns()).hasSize(2);

        TableSchema metadataName = new TableSchema(ITEMS, List.of(Column.of("_Elt_Op", ColumnType.STRING)), List.of());
        assertThatThrownBy(() -> UPPER.columnsOf(metadataName))
                .hasMessageContaining("has the name of the metadata column _ELT_OP");

        List<TableId> tables = List.of(new TableId("shop", "Orders"), new TableId("shop", "orders"));
        assertThatThrownBy(() -> UPPER.checkDistinctTargets(tables, null))
                .hasMessageContaining("tables shop.Orders and shop.orders would both load into \"SHOP\".\"ORDERS\"")
                .hasMessageContaining("destination.identifier-case: source");
        SnowflakeNames.SOURCE.checkDistinctTargets(tables, null);
        UPPER.checkDistinctTargets(List.of(ITEMS, new TableId("shop", "orders")), null);
    }

    private static SnowflakeBatchPart itemsPart(TableSchema version) {
        return SnowflakeBatchPlan.of(
                        ITEMS,
                        TARGET,
                        DeleteMode.HARD,
                        UPPER,
                        List.of(new SnowflakeBatchPlan.FileOfVersion(
                                UPPER.columnsOf(version), version, "_snowflake/x/part-00000.avro", null)))
                .get(0);
    }

    @Test
    void tablesAreCreatedWithUpperCaseColumnsAndMetadataColumns() {
        BatchColumns batch = BatchColumns.of(ITEMS, List.of(UPPER.columnsOf(ITEMS_V1)));
        assertThat(DDL.createTable(TARGET, batch, DeleteMode.SOFT))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"SHOP\".\"ITEMS\" (\"ID\" NUMBER(10,0), \"NAME\" VARCHAR,"
                        + " \"_ELT_OP\" VARCHAR, \"_ELT_POSITION\" NUMBER(38,0), \"_ELT_SYNCED_AT\" TIMESTAMP_TZ(6),"
                        + " \"_ELT_DELETED\" BOOLEAN)");
    }

    @Test
    void schemaChangesNameTheColumnsByTheRule() {
        TableSchema renamed = new TableSchema(
                ITEMS,
                List.of(Column.of("id", ColumnType.INT32), Column.of("title", ColumnType.STRING)),
                List.of("id"),
                Map.of("title", "name"));
        String from = UPPER.columnsOf(renamed).renamedFrom().get("TITLE");
        assertThat(DDL.renameColumn(TARGET, from, "TITLE"))
                .isEqualTo("ALTER TABLE \"SHOP\".\"ITEMS\" RENAME COLUMN \"NAME\" TO \"TITLE\"");
        assertThat(DDL.addColumn(TARGET, UPPER.identifier("qty"), "NUMBER(19,0)"))
                .isEqualTo("ALTER TABLE \"SHOP\".\"ITEMS\" ADD COLUMN \"QTY\" NUMBER(19,0)");
        assertThat(DDL.addDeletedColumn(TARGET))
                .isEqualTo("ALTER TABLE \"SHOP\".\"ITEMS\" ADD COLUMN \"_ELT_DELETED\" BOOLEAN DEFAULT FALSE");
        assertThat(DDL.rebuildColumn(TARGET, Column.decimal("PRICE", 12, 3)))
                .containsExactly(
                        "ALTER TABLE \"SHOP\".\"ITEMS\" RENAME COLUMN \"PRICE\" TO \"_ELT_OLD_PRICE\"",
                        "ALTER TABLE \"SHOP\".\"ITEMS\" ADD COLUMN \"PRICE\" NUMBER(12,3)",
                        "UPDATE \"SHOP\".\"ITEMS\" SET \"PRICE\" = \"_ELT_OLD_PRICE\"::NUMBER(12,3)",
                        "ALTER TABLE \"SHOP\".\"ITEMS\" DROP COLUMN \"_ELT_OLD_PRICE\"");
    }

    @Test
    void stagingReadsTheLoadFilesFieldsIntoUpperCaseColumns() {
        List<String> staging = itemsPart(ITEMS_V1).stagingStatements(SnowflakeStage.withIntegration("s3://b/p", "I"));
        assertThat(staging.get(0))
                .isEqualTo("CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_stage_0\" (\"ID\" NUMBER(10,0),"
                        + " \"NAME\" VARCHAR, \"_ELT_OP\" VARCHAR, \"_ELT_POSITION\" NUMBER(38,0))");
        assertThat(staging.get(1))
                .isEqualTo("ALTER TABLE ELT_CDC.\"_elt_stage_0\" ADD COLUMN \"_ELT_UNCHANGED\" VARCHAR");
        // The raw table's columns are the load file's fields, which COPY matches case-sensitively.
        assertThat(staging.get(2))
                .isEqualTo(
                        "CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_raw_0_0\" (\"id\" VARIANT,"
                                + " \"name\" VARIANT, \"_elt_op\" VARIANT, \"_elt_position\" VARIANT, \"_elt_unchanged\" VARIANT)");
        assertThat(staging.get(4))
                .startsWith("INSERT INTO ELT_CDC.\"_elt_stage_0\" (\"ID\", \"NAME\", \"_ELT_OP\", \"_ELT_POSITION\","
                        + " \"_ELT_UNCHANGED\") SELECT r.\"id\"::NUMBER(10,0), r.\"name\"::VARCHAR, r.\"_elt_op\"::VARCHAR,"
                        + " r.\"_elt_position\"::VARCHAR::NUMBER(38,0),");
        assertThat(itemsPart(ITEMS_V1).summaryQuery())
                .isEqualTo("SELECT COUNT(*), COUNT_IF(\"_ELT_OP\" = 'DELETE'), COUNT_IF(POSITION(',0,' IN"
                        + " \"_ELT_UNCHANGED\") > 0), COUNT_IF(POSITION(',1,' IN \"_ELT_UNCHANGED\") > 0)"
                        + " FROM ELT_CDC.\"_elt_stage_0\"");
    }

    @Test
    void theMergeWritesUpperCaseColumnsAndNullsOnlyColumnsTheSourceDropped() {
        SnowflakeBatchPart part = itemsPart(ITEMS_V1);
        // The catalog's names: GONE was dropped in the source; the metadata columns are not source columns.
        List<String> targetColumns = List.of("ID", "NAME", "GONE", "_ELT_OP", "_ELT_POSITION", "_ELT_SYNCED_AT");
        assertThat(part.sql().createWinners())
                .isEqualTo("CREATE OR REPLACE TEMPORARY TABLE ELT_CDC.\"_elt_winners_0\" AS SELECT * FROM"
                        + " ELT_CDC.\"_elt_stage_0\" QUALIFY ROW_NUMBER() OVER (PARTITION BY \"ID\" ORDER BY"
                        + " \"_ELT_POSITION\" DESC) = 1");
        assertThat(part.sql().mergeInto(targetColumns))
                .isEqualTo(
                        "MERGE INTO \"SHOP\".\"ITEMS\" AS t USING ELT_CDC.\"_elt_winners_0\" AS w ON (t.\"ID\" = w.\"ID\")"
                                + " WHEN MATCHED AND w.\"_ELT_OP\" = 'DELETE' AND (t.\"_ELT_POSITION\" IS NULL"
                                + " OR t.\"_ELT_POSITION\" < w.\"_ELT_POSITION\") THEN DELETE"
                                + " WHEN MATCHED AND w.\"_ELT_OP\" <> 'DELETE' AND (t.\"_ELT_POSITION\" IS NULL"
                                + " OR t.\"_ELT_POSITION\" < w.\"_ELT_POSITION\") THEN UPDATE SET \"NAME\" = w.\"NAME\","
                                + " \"GONE\" = NULL, \"_ELT_OP\" = w.\"_ELT_OP\", \"_ELT_POSITION\" = w.\"_ELT_POSITION\","
                                + " \"_ELT_SYNCED_AT\" = CURRENT_TIMESTAMP"
                                + " WHEN NOT MATCHED AND w.\"_ELT_OP\" <> 'DELETE' THEN INSERT (\"ID\", \"NAME\", \"_ELT_OP\","
                                + " \"_ELT_POSITION\", \"_ELT_SYNCED_AT\") VALUES (w.\"ID\", w.\"NAME\", w.\"_ELT_OP\","
                                + " w.\"_ELT_POSITION\", CURRENT_TIMESTAMP)");
        assertThat(part.withDeletedColumn(true).sql().mergeInto(targetColumns))
                .contains("\"_ELT_DELETED\" = (w.\"_ELT_OP\" = 'DELETE')");
    }

    // ---- the table's DDL on a recorded session

    private static final String COLUMNS_QUERY = SnowflakeDdlSql.columnsQuery();

    /** A catalog with the given tables ({@code [schema, table]} as the query's parameters) and their columns. */
    private static Function<String, List<Map<String, Object>>> catalog(Map<String, List<String>> tables) {
        return sql -> {
            for (Map.Entry<String, List<String>> table : tables.entrySet()) {
                if (sql.equals(COLUMNS_QUERY + " " + table.getKey())) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (String column : table.getValue()) {
                        rows.add(row(
                                "column_name",
                                column,
                                "data_type",
                                "TEXT",
                                "numeric_precision",
                                null,
                                "numeric_scale",
                                null,
                                "character_maximum_length",
                                16777216L));
                    }
                    return rows;
                }
            }
            return List.of();
        };
    }

    private static BatchColumns items(SnowflakeNames names) {
        return BatchColumns.of(ITEMS, List.of(names.columnsOf(ITEMS_V1)));
    }

    @Test
    void aTableAnEarlierVersionMadeInTheSourcesCaseIsNotLeftBehindSilently() {
        RecordingConnection session = new RecordingConnection(
                catalog(Map.of("[shop, items]", List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at"))));
        SnowflakeTableDdl ddl = new SnowflakeTableDdl(DeleteMode.HARD, UPPER, null);

        assertThatThrownBy(() -> ddl.ensure(session.connection(), TARGET, items(UPPER)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the target table \"shop\".\"items\" exists, named in the source's case")
                .hasMessageContaining("load shop.items into \"SHOP\".\"ITEMS\"")
                .hasMessageContaining("Set destination.identifier-case: source");
        assertThat(session.statements).noneMatch(s -> s.startsWith("CREATE")); // not even the schema
    }

    @Test
    void aNewTableIsCreatedInUpperCase() throws Exception {
        RecordingConnection session = new RecordingConnection(catalog(Map.of()));
        new SnowflakeTableDdl(DeleteMode.HARD, UPPER, null).ensure(session.connection(), TARGET, items(UPPER));
        assertThat(session.statements)
                .contains("CREATE SCHEMA IF NOT EXISTS \"SHOP\"")
                .contains(COLUMNS_QUERY + " [shop, items]") // no table of the source's case either
                .contains(DDL.createTable(TARGET, items(UPPER), DeleteMode.HARD));
    }

    @Test
    void anExistingUpperCaseTableGetsTheNewColumnOnlyNotItsMetadataColumnsAgain() throws Exception {
        RecordingConnection session = new RecordingConnection(
                catalog(Map.of("[SHOP, ITEMS]", List.of("ID", "NAME", "_ELT_OP", "_ELT_POSITION", "_ELT_SYNCED_AT"))));
        TableSchema v2 = new TableSchema(
                ITEMS,
                List.of(
                        Column.of("id", ColumnType.INT32),
                        Column.of("name", ColumnType.STRING),
                        Column.of("qty", ColumnType.STRING)),
                List.of("id"));
        new SnowflakeTableDdl(DeleteMode.HARD, UPPER, null)
                .ensure(session.connection(), TARGET, BatchColumns.of(ITEMS, List.of(UPPER.columnsOf(v2))));
        assertThat(session.statements)
                .filteredOn(s -> s.startsWith("ALTER") || s.startsWith("CREATE TABLE"))
                .containsExactly("ALTER TABLE \"SHOP\".\"ITEMS\" ADD COLUMN \"QTY\" VARCHAR");
    }

    @Test
    void theSourcesCaseKeepsLoadingIntoTheTablesItMade() throws Exception {
        TargetTable sourceCase = SnowflakeNames.SOURCE.target(ITEMS, null);
        RecordingConnection session = new RecordingConnection(
                catalog(Map.of("[shop, items]", List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at"))));
        new SnowflakeTableDdl(DeleteMode.HARD, SnowflakeNames.SOURCE, null)
                .ensure(session.connection(), sourceCase, items(SnowflakeNames.SOURCE));
        assertThat(session.statements).noneMatch(s -> s.startsWith("ALTER") || s.startsWith("CREATE TABLE"));
    }
}
