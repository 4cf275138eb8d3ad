package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlTestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.postgres.PostgresSourceKind;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.testing.TestMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Table discovery on MySQL / MariaDB: patterns ({@code database.table}, {@code database.*}), exact
 * names, keys, and the pipeline type of every MySQL column type.
 */
class MySqlCatalogTest {
    private static String url;
    private static String other;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestMySql.createDatabase("src_mysql_catalog");
        other = TestMySql.createDatabase("src_mysql_catalog_other");
        exec(
                url,
                MySqlAllTypes.CREATE,
                "CREATE TABLE composite (b varchar(10), a int, v int, PRIMARY KEY (a, b))",
                "CREATE TABLE keyless (v int)",
                "CREATE TABLE `Odd ``Table` (`Order` int PRIMARY KEY, `Value` text)",
                "CREATE TABLE odd_case (id int PRIMARY KEY)",
                "CREATE TABLE `Odd_Case` (id int PRIMARY KEY, extra int)",
                "CREATE VIEW a_view AS SELECT 1 AS one",
                "CREATE TABLE checked_text (id int PRIMARY KEY, j varchar(200) CHECK (json_valid(j)),"
                        + " t text CHECK (length(t) > 1))");
        exec(other, "CREATE TABLE t (id int PRIMARY KEY)", "CREATE TABLE shapes (id int PRIMARY KEY, g geometry)");
    }

    @Test
    void everyMySqlTypeMapsToItsPipelineType() throws SQLException {
        TableSchema schema =
                discover(List.of("src_mysql_catalog.all_types"), Map.of()).get(0);

        assertThat(schema.keyColumns()).containsExactly("id");
        assertType(schema, "id", ColumnType.INT32, "int(11)");
        assertType(schema, "c_bool", ColumnType.BOOLEAN, "tinyint(1)");
        assertType(schema, "c_bit1", ColumnType.BOOLEAN, "bit(1)");
        assertType(schema, "c_bit12", ColumnType.BYTES, "bit(12)");
        assertType(schema, "c_tiny", ColumnType.INT32, "tinyint(4)");
        assertType(schema, "c_tiny_u", ColumnType.INT32, "tinyint(3) unsigned");
        assertType(schema, "c_small", ColumnType.INT32, "smallint(6)");
        assertType(schema, "c_small_u", ColumnType.INT32, "smallint(5) unsigned");
        assertType(schema, "c_medium", ColumnType.INT32, "mediumint(9)");
        assertType(schema, "c_medium_u", ColumnType.INT32, "mediumint(8) unsigned");
        assertType(schema, "c_int", ColumnType.INT32, "int(11)");
        assertType(schema, "c_int_u", ColumnType.INT64, "int(10) unsigned");
        assertType(schema, "c_big", ColumnType.INT64, "bigint(20)");
        assertDecimal(schema, "c_big_u", 20, 0);
        assertType(schema, "c_year", ColumnType.INT32, "year(4)");
        assertType(schema, "c_float", ColumnType.FLOAT32, "float");
        assertType(schema, "c_double", ColumnType.FLOAT64, "double");
        assertType(schema, "c_real", ColumnType.FLOAT64, "double");
        assertDecimal(schema, "c_dec", 12, 3);
        assertDecimal(schema, "c_dec38", 38, 10);
        assertType(schema, "c_dec65", ColumnType.DECIMAL_TEXT, "decimal(65,30)");
        assertType(schema, "c_char", ColumnType.STRING, "char(10)");
        assertType(schema, "c_varchar", ColumnType.STRING, "varchar(100)");
        assertType(schema, "c_tinytext", ColumnType.STRING, "tinytext");
        assertType(schema, "c_text", ColumnType.STRING, "text");
        assertType(schema, "c_mediumtext", ColumnType.STRING, "mediumtext");
        assertType(schema, "c_longtext", ColumnType.STRING, "longtext");
        assertType(schema, "c_enum", ColumnType.STRING, "enum('small','medium','large')");
        assertType(schema, "c_set", ColumnType.STRING, "set('a','b','c')");
        assertType(schema, "c_json", ColumnType.JSON, "json"); // MariaDB: longtext CHECK (json_valid(c_json))
        assertType(schema, "c_binary", ColumnType.BYTES, "binary(4)");
        assertType(schema, "c_varbinary", ColumnType.BYTES, "varbinary(16)");
        assertType(schema, "c_tinyblob", ColumnType.BYTES, "tinyblob");
        assertType(schema, "c_blob", ColumnType.BYTES, "blob");
        assertType(schema, "c_mediumblob", ColumnType.BYTES, "mediumblob");
        assertType(schema, "c_longblob", ColumnType.BYTES, "longblob");
        assertType(schema, "c_date", ColumnType.DATE, "date");
        assertType(schema, "c_time", ColumnType.TIME, "time(6)");
        assertType(schema, "c_datetime", ColumnType.TIMESTAMP, "datetime(6)");
        assertType(schema, "c_timestamp", ColumnType.TIMESTAMP_TZ, "timestamp(6)");
        assertThat(schema.columns()).extracting(Column::name).containsExactlyElementsOf(MySqlAllTypes.COLUMNS);
        assertThat(schema.columns().get(0).nullable()).isFalse();
        assertThat(schema.columns().get(1).nullable()).isTrue();
    }

    @Test
    void aTextColumnIsJsonOnlyWhenAJsonValidCheckGuardsIt() throws SQLException {
        TableSchema schema =
                discover(List.of("src_mysql_catalog.checked_text"), Map.of()).get(0);
        // MariaDB keeps CHECK constraints; MySQL 8 too (but has a json type of its own), MySQL 5.7 ignores them
        boolean checksKept = isMariaDb();
        assertThat(schema.columns().get(1).type()).isEqualTo(checksKept ? ColumnType.JSON : ColumnType.STRING);
        assertThat(schema.columns().get(2).type()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void patternsSelectTablesOfADatabaseByExactName() throws SQLException {
        List<TableSchema> tables = discover(
                List.of("src_mysql_catalog.*", "src_mysql_catalog_other.t", "src_mysql_catalog.composite"), Map.of());

        assertThat(tables)
                .extracting(TableSchema::id)
                .containsExactly(
                        new TableId("src_mysql_catalog", "Odd `Table"),
                        new TableId("src_mysql_catalog", "Odd_Case"),
                        new TableId("src_mysql_catalog", "all_types"),
                        new TableId("src_mysql_catalog", "checked_text"),
                        new TableId("src_mysql_catalog", "composite"),
                        new TableId("src_mysql_catalog", "keyless"),
                        new TableId("src_mysql_catalog", "odd_case"),
                        new TableId("src_mysql_catalog_other", "t"));
    }

    @Test
    void keysAreThePrimaryKeyInKeyOrderOrTheConfiguredOnes() throws SQLException {
        List<TableSchema> tables = discover(
                List.of(
                        "src_mysql_catalog.composite",
                        "src_mysql_catalog.keyless",
                        "src_mysql_catalog.Odd `Table",
                        "src_mysql_catalog.Odd_Case"),
                Map.of("src_mysql_catalog.keyless", List.of("v")));

        assertThat(tables.get(0).keyColumns()).containsExactly("a", "b");
        assertThat(tables.get(0).columns()).extracting(Column::name).containsExactly("b", "a", "v");
        assertThat(tables.get(1).keyColumns()).containsExactly("v");
        assertThat(tables.get(2).keyColumns()).containsExactly("Order");
        assertThat(tables.get(2).columns()).extracting(Column::name).containsExactly("Order", "Value");
        // the exact name, not its case-insensitive twin
        assertThat(tables.get(3).columns()).extracting(Column::name).containsExactly("id", "extra");
    }

    @Test
    void unknownNamesViewsAndUnsupportedTypesAreErrorsNamingThem() {
        assertThatThrownBy(() -> discover(List.of("src_mysql_catalog.nope"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`src_mysql_catalog`.`nope`")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> discover(List.of("src_mysql_catalog.ALL_TYPES"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("case-sensitive");
        assertThatThrownBy(() -> discover(List.of("no_such_db.*"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database 'no_such_db'");
        assertThatThrownBy(() -> discover(List.of("src_mysql_catalog.a_view"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a table (VIEW)");
        assertThatThrownBy(() -> discover(List.of("src_mysql_catalog_other.shapes"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`src_mysql_catalog_other`.`shapes`")
                .hasMessageContaining("`g`")
                .hasMessageContaining("geometry");
        assertThatThrownBy(() -> discover(
                        List.of("src_mysql_catalog.keyless"), Map.of("src_mysql_catalog.keyless", List.of("V"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names column 'V'");
        assertThatThrownBy(() -> discover(
                        List.of("src_mysql_catalog.keyless"), Map.of("src_mysql_catalog.composite", List.of("v"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none of the table patterns");
    }

    @Test
    void theConfigChoosesTheDialectByUrl() {
        assertThat(MySqlTestSql.config(url, 10, "x.y").dialect()).isSameAs(MySqlDialect.INSTANCE);
        assertThat(SnapshotSourceConfig.builder()
                        .jdbcUrl("jdbc:postgresql://h/db")
                        .table("a.b")
                        .build()
                        .dialect())
                .isSameAs(PostgresSourceKind.INSTANCE.dialect());
        assertThatThrownBy(() -> SnapshotSourceConfig.builder()
                        .jdbcUrl("jdbc:oracle:thin:@h?password=secret")
                        .table("a.b")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    private static boolean isMariaDb() throws SQLException {
        try (Connection c = TestMySql.connect(url)) {
            return c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
        }
    }

    private static List<TableSchema> discover(List<String> patterns, Map<String, List<String>> keys)
            throws SQLException {
        try (Connection c = SourceConnections.open(MySqlTestSql.config(url, 10, "x.y"), "test")) {
            return MySqlDialect.INSTANCE.discover(c, patterns, keys);
        }
    }

    private static void assertType(TableSchema schema, String name, ColumnType type, String sourceType) {
        Column column = schema.columns().get(schema.indexOf(name));
        assertThat(column.type()).as(name).isEqualTo(type);
        // MariaDB and MySQL 5.7 show integer display widths, MySQL 8.0.19+ does not (but tinyint(1)'s)
        assertThat(column.sourceType().replaceAll("\\(\\d+\\)", ""))
                .as(name)
                .isEqualTo(sourceType.replaceAll("\\(\\d+\\)", ""));
    }

    private static void assertDecimal(TableSchema schema, String name, int precision, int scale) {
        Column column = schema.columns().get(schema.indexOf(name));
        assertThat(column.type()).as(name).isEqualTo(ColumnType.DECIMAL);
        assertThat(column.precision()).as(name).isEqualTo(precision);
        assertThat(column.scale()).as(name).isEqualTo(scale);
    }
}
