package io.eltcdc.source.postgres;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Table discovery and type mapping against a real catalog. */
class PostgresCatalogTest {
    private static String url;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_catalog");
        exec(
                url,
                "CREATE EXTENSION citext",
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE DOMAIN money2 AS numeric(10, 2)",
                "CREATE DOMAIN positive_ints AS int[]",
                "CREATE TABLE all_types (id int PRIMARY KEY, c_int2 int2, c_int4 int4, c_int8 int8,"
                        + " c_num numeric(12, 3), c_num_free numeric, c_num_wide numeric(50, 10), c_num_neg numeric(5, -2),"
                        + " c_f4 float4, c_f8 float8, c_bool bool, c_text text, c_varchar varchar(20), c_bpchar char(5),"
                        + " c_name name, c_citext citext, c_date date, c_time time, c_ts timestamp(3), c_tstz timestamptz,"
                        + " c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea, c_int_arr int[], c_text_arr text[],"
                        + " c_mood mood, c_interval interval, c_inet inet, c_money money, c_timetz timetz, c_xml xml,"
                        + " c_domain money2, c_domain_arr positive_ints, c_mood_arr mood[], dropped int NOT NULL)",
                "ALTER TABLE all_types DROP COLUMN dropped",
                "CREATE TABLE pk_order (a int, b text, c int, PRIMARY KEY (b, a))",
                "CREATE TABLE no_key (v int, w text)",
                "CREATE SCHEMA hidden",
                "CREATE TABLE hidden.\"Odd Table\" (\"Order\" int PRIMARY KEY, \"quote\"\"d\" text)",
                "CREATE TABLE hidden.\"dot.ted\" (id int PRIMARY KEY)",
                "CREATE TABLE hidden.parted (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (k)",
                "CREATE TABLE hidden.parted_1 PARTITION OF hidden.parted FOR VALUES FROM (0) TO (10)",
                "CREATE VIEW hidden.a_view AS SELECT 1 AS x",
                "CREATE SCHEMA empty_schema");
    }

    @Test
    void mapsPostgresTypesToPipelineTypes() throws SQLException {
        TableSchema schema = discover(List.of("public.all_types"), Map.of()).get(0);

        assertThat(schema.id()).isEqualTo(new TableId("public", "all_types"));
        assertThat(schema.keyColumns()).containsExactly("id");
        assertThat(schema.columns())
                .extracting(Column::name)
                .doesNotContain("dropped")
                .startsWith("id", "c_int2");
        assertColumn(schema, "id", ColumnType.INT32, "integer");
        assertColumn(schema, "c_int2", ColumnType.INT32, "smallint");
        assertColumn(schema, "c_int8", ColumnType.INT64, "bigint");
        assertColumn(schema, "c_num", ColumnType.DECIMAL, "numeric(12,3)");
        assertThat(column(schema, "c_num").precision()).isEqualTo(12);
        assertThat(column(schema, "c_num").scale()).isEqualTo(3);
        assertColumn(schema, "c_num_free", ColumnType.DECIMAL_TEXT, "numeric");
        assertColumn(schema, "c_num_wide", ColumnType.DECIMAL_TEXT, "numeric(50,10)");
        assertColumn(schema, "c_num_neg", ColumnType.DECIMAL_TEXT, "numeric(5,-2)");
        assertColumn(schema, "c_f4", ColumnType.FLOAT32, "real");
        assertColumn(schema, "c_f8", ColumnType.FLOAT64, "double precision");
        assertColumn(schema, "c_bool", ColumnType.BOOLEAN, "boolean");
        assertColumn(schema, "c_text", ColumnType.STRING, "text");
        assertColumn(schema, "c_varchar", ColumnType.STRING, "character varying(20)");
        assertColumn(schema, "c_bpchar", ColumnType.STRING, "character(5)");
        assertColumn(schema, "c_name", ColumnType.STRING, "name");
        assertColumn(schema, "c_citext", ColumnType.STRING, "citext");
        assertColumn(schema, "c_date", ColumnType.DATE, "date");
        assertColumn(schema, "c_time", ColumnType.TIME, "time without time zone");
        assertColumn(schema, "c_ts", ColumnType.TIMESTAMP, "timestamp(3) without time zone");
        assertColumn(schema, "c_tstz", ColumnType.TIMESTAMP_TZ, "timestamp with time zone");
        assertColumn(schema, "c_uuid", ColumnType.UUID, "uuid");
        assertColumn(schema, "c_json", ColumnType.JSON, "json");
        assertColumn(schema, "c_jsonb", ColumnType.JSON, "jsonb");
        assertColumn(schema, "c_bytea", ColumnType.BYTES, "bytea");
        assertColumn(schema, "c_int_arr", ColumnType.JSON, "integer[]");
        assertColumn(schema, "c_text_arr", ColumnType.JSON, "text[]");
        assertColumn(schema, "c_mood", ColumnType.STRING, "mood");
        assertColumn(schema, "c_mood_arr", ColumnType.JSON, "mood[]");
        assertColumn(schema, "c_interval", ColumnType.STRING, "interval");
        assertColumn(schema, "c_inet", ColumnType.STRING, "inet");
        assertColumn(schema, "c_money", ColumnType.STRING, "money");
        assertColumn(schema, "c_timetz", ColumnType.STRING, "time with time zone");
        assertColumn(schema, "c_xml", ColumnType.STRING, "xml");
        // domains map like their base type, and keep their own name as source type
        assertColumn(schema, "c_domain", ColumnType.DECIMAL, "money2");
        assertThat(column(schema, "c_domain").precision()).isEqualTo(10);
        assertThat(column(schema, "c_domain").scale()).isEqualTo(2);
        assertColumn(schema, "c_domain_arr", ColumnType.JSON, "positive_ints");
        assertThat(column(schema, "id").nullable()).isFalse();
        assertThat(column(schema, "c_int4").nullable()).isTrue();
    }

    @Test
    void primaryKeyColumnsComeInKeyOrder() throws SQLException {
        TableSchema schema = discover(List.of("public.pk_order"), Map.of()).get(0);
        assertThat(schema.columns()).extracting(Column::name).containsExactly("a", "b", "c");
        assertThat(schema.keyColumns()).containsExactly("b", "a");
    }

    @Test
    void aCustomKeyReplacesAMissingPrimaryKey() throws SQLException {
        List<TableSchema> tables =
                discover(List.of("public.no_key", "public.pk_order"), Map.of("public.no_key", List.of("w", "v")));
        assertThat(tables.get(0).keyColumns()).containsExactly("w", "v");
        assertThat(tables.get(1).keyColumns()).containsExactly("b", "a");
        assertThat(discover(List.of("public.no_key"), Map.of()).get(0).hasKey()).isFalse();
    }

    @Test
    void aSchemaWildcardSelectsItsTablesButNotPartitionsOrViews() throws SQLException {
        assertThat(discover(List.of("hidden.*"), Map.of()))
                .extracting(TableSchema::id)
                .containsExactly(
                        new TableId("hidden", "Odd Table"),
                        new TableId("hidden", "dot.ted"),
                        new TableId("hidden", "parted"));
        assertThat(discover(List.of("empty_schema.*"), Map.of())).isEmpty();
    }

    @Test
    void namesAreExactAndSplitAtTheFirstDot() throws SQLException {
        List<TableSchema> tables = discover(List.of("hidden.Odd Table", "hidden.dot.ted", "hidden.*"), Map.of());
        assertThat(tables)
                .extracting(TableSchema::id)
                .containsExactly(
                        new TableId("hidden", "Odd Table"),
                        new TableId("hidden", "dot.ted"),
                        new TableId("hidden", "parted"));
        assertThat(tables.get(0).columns()).extracting(Column::name).containsExactly("Order", "quote\"d");
        assertThat(tables.get(0).keyColumns()).containsExactly("Order");
    }

    @Test
    void unknownNamesAreClearErrors() {
        assertThatThrownBy(() -> discover(List.of("public.All_Types"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'public.All_Types'")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> discover(List.of("nowhere.*"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nowhere.*'")
                .hasMessageContaining("schema 'nowhere' does not exist");
        assertThatThrownBy(() -> discover(List.of("no_dot"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'no_dot'");
        assertThatThrownBy(() -> discover(List.of("hidden.a_view"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a table");
        assertThatThrownBy(() -> discover(List.of("public.no_key"), Map.of("public.no_key", List.of("V"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.no_key")
                .hasMessageContaining("'V'");
        assertThatThrownBy(() -> discover(List.of("public.no_key"), Map.of("public.other", List.of("v"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.other");
    }

    private static List<TableSchema> discover(List<String> patterns, Map<String, List<String>> keys)
            throws SQLException {
        try (Connection c = TestPostgres.connect(url)) {
            return PostgresCatalog.discover(c, patterns, keys);
        }
    }

    private static Column column(TableSchema schema, String name) {
        return schema.columns().get(schema.indexOf(name));
    }

    private static void assertColumn(TableSchema schema, String name, ColumnType type, String sourceType) {
        Column column = column(schema, name);
        assertThat(column.type()).as(name).isEqualTo(type);
        assertThat(column.sourceType()).as(name).isEqualTo(sourceType);
    }
}
