package io.eltcdc.source.postgres;

import static io.eltcdc.source.snapshot.TestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ColumnReader;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.ChunkSplitReader;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.TestSql;
import io.eltcdc.testing.TestPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values read through the binary COPY path equal, class, digits and scale included, the values the
 * text-mode JDBC path gives ({@link ColumnReader} on a plain query, as the source read rows before):
 * for edge values of every mapped type, and for many random decimals.
 */
class BinaryReadParityTest {
    private static String url;

    /** Column name → SQL type and values (SQL literals); row i takes value i, or NULL past the list. */
    private static final Map<String, Edge> EDGES = new LinkedHashMap<>();

    private record Edge(String sqlType, List<String> values) {}

    private static void edge(String name, String sqlType, String... values) {
        EDGES.put(name, new Edge(sqlType, List.of(values)));
    }

    static {
        edge("c_int2", "int2", "-32768", "32767", "0", "-1");
        edge("c_int4", "int4", "-2147483648", "2147483647", "0");
        edge("c_int8", "int8", "-9223372036854775808", "9223372036854775807", "0");
        edge(
                "c_f4",
                "float4",
                "'NaN'",
                "'Infinity'",
                "'-Infinity'",
                "'-0'",
                "1e-45",
                "3.4028235e38",
                "0.1",
                "1.17549435e-38");
        edge(
                "c_f8",
                "float8",
                "'NaN'",
                "'Infinity'",
                "'-Infinity'",
                "'-0'",
                "4.9e-324",
                "1.7976931348623157e308",
                "0.1",
                "2.2250738585072014e-308",
                "1e22");
        edge("c_bool", "bool", "true", "false");
        edge(
                "c_num38",
                "numeric(38,10)",
                "0",
                "-0.0000000001",
                "9999999999999999999999999999.9999999999",
                "-9999999999999999999999999999.9999999999",
                "1",
                "10000",
                "100000000",
                "0.5",
                "12345678.9",
                "1234567890123456.789",
                "0.0001",
                "99999999.99999999");
        edge(
                "c_num12",
                "numeric(12,2)",
                "0",
                "-0.01",
                "9999999999.99",
                "-9999999999.99",
                "100000.00",
                "0.37",
                "1.5",
                "10000",
                "-10000.01");
        edge("c_num0", "numeric(18,0)", "0", "999999999999999999", "-999999999999999999", "10000", "100000000");
        edge(
                "c_num_frac",
                "numeric(38,38)",
                "0",
                "0.00000000000000000000000000000000000001",
                "-0.99999999999999999999999999999999999999",
                "0.5");
        edge("c_num_neg_scale", "numeric(5,-2)", "1234500", "-100", "0");
        edge("c_num_free", "numeric", "'NaN'", "'Infinity'", "'-Infinity'", "1.2300", "1e-100", "-0.000", "1e100");
        edge("c_money2", "money2", "12.34", "-0.01", "0");
        edge(
                "c_date",
                "date",
                "'infinity'",
                "'-infinity'",
                "'4713-01-01 BC'",
                "'0001-01-01'",
                "'5874897-12-31'",
                "'2000-01-01'",
                "'1999-12-31'",
                "'1582-10-04'",
                "'1582-10-15'",
                "'0044-03-15 BC'");
        edge("c_time", "time", "'00:00'", "'24:00:00'", "'23:59:59.999999'", "'12:00:00.000001'");
        edge(
                "c_ts",
                "timestamp",
                "'infinity'",
                "'-infinity'",
                "'4713-01-01 00:00:00 BC'",
                "'294276-12-31 23:59:59.999999'",
                "'1999-12-31 23:59:59.999999'",
                "'2000-01-01 00:00:00.000001'",
                "'1969-12-31 23:59:59.999999'",
                "'1883-11-18 12:03:58'",
                "'0044-03-15 12:00 BC'");
        edge(
                "c_tstz",
                "timestamptz",
                "'infinity'",
                "'-infinity'",
                "'4713-01-01 00:00:00+00 BC'",
                "'294276-12-31 23:59:59.999999+00'",
                "'1999-12-31 23:59:59.999999+00'",
                "'2000-01-01 00:00:00.000001+00'",
                "'1969-12-31 23:59:59.999999-03:30'",
                "'1883-11-18 12:03:58 America/New_York'",
                "'2024-03-31 02:30 Europe/Berlin'");
        edge(
                "c_uuid",
                "uuid",
                "'00000000-0000-0000-0000-000000000000'",
                "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
                "'123e4567-e89b-12d3-a456-426614174000'");
        edge("c_bytea", "bytea", "''", "'\\x00ff80'", "'\\x'");
        edge("c_text", "text", "''", "'ü😀 \t\n\\ ''q'''", "' x '");
        edge("c_bpchar", "char(5)", "'a'", "''", "'abcde'");
        edge("c_bpchar_free", "bpchar", "'a  '", "''");
        edge("c_varchar", "varchar(3)", "''", "'abc'");
        edge("c_name", "name", "'n'", "''");
        edge("c_char", "\"char\"", "'a'", "E'\\\\200'", "''");
        edge("c_interval", "interval", "'1 year 2 mons 3 days 04:05:06.789'", "'-1 day'", "'0'");
        edge("c_inet", "inet", "'10.0.0.1'", "'10.0.0.0/8'", "'::1'", "'10.0.0.1/32'");
        edge("c_cidr", "cidr", "'10.0.0.0/8'", "'::/0'");
        edge("c_inet_domain", "inet_domain", "'10.0.0.1'", "'192.168.0.0/16'");
        edge("c_text_domain", "text_domain", "'plain'", "''");
        edge("c_money", "money", "'12.34'", "'-0.01'");
        edge("c_mood", "mood", "'sad'", "'happy'");
        edge("c_pair", "pair", "ROW(NULL, NULL)::pair", "ROW(1, 'x,\"y')::pair", "ROW(NULL, '')::pair");
        edge("c_citext", "citext", "'CiText'", "''");
        edge("c_xml", "xml", "'<a>x</a>'", "''");
        edge("c_range", "int4range", "'empty'", "'[1,5)'", "'(,)'");
        edge("c_bits", "bit(3)", "B'101'");
        edge("c_varbit", "varbit", "B''", "B'1'");
        edge("c_tsvector", "tsvector", "''", "'a b'");
        edge("c_point", "point", "'(1,2)'", "'(1.5,-0)'");
        edge("c_box", "box", "'(1,2),(3,4)'");
        edge("c_timetz", "timetz", "'10:11:12.5+05:30'", "'24:00:00-15:59'");
        edge("c_oid", "oid", "0", "4294967295");
        edge("c_json", "json", "'{\"a\": [1, 2.50]}'", "'\"\"'", "'null'");
        edge("c_jsonb", "jsonb", "'{\"b\": 1, \"a\": \"\\u00fc\"}'", "'null'");
        edge("c_int_arr", "int[]", "'{}'", "'{1,NULL}'", "'{{1,2},{3,4}}'");
        edge("c_text_arr", "text[]", "'{\"\",NULL,\"a\\\\\\\\b\"}'");
        edge("c_ts_arr", "timestamp[]", "'{infinity,\"2000-01-01 00:00:00.5\"}'");
    }

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestPostgres.createDatabase("src_binary_parity");
        int rows =
                EDGES.values().stream().mapToInt(e -> e.values().size()).max().orElseThrow() + 1;
        List<String> inserts = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int row = i;
            inserts.add("INSERT INTO edges VALUES (" + row + ", "
                    + EDGES.values().stream()
                            .map(e -> row < e.values().size()
                                    ? "CAST(" + e.values().get(row) + " AS " + e.sqlType() + ")"
                                    : "NULL")
                            .collect(Collectors.joining(", "))
                    + ")");
        }
        List<String> statements = new ArrayList<>(List.of(
                "CREATE EXTENSION IF NOT EXISTS citext",
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE TYPE pair AS (n int, t text)",
                "CREATE DOMAIN money2 AS numeric(10, 2)",
                "CREATE DOMAIN inet_domain AS inet",
                "CREATE DOMAIN text_domain AS text",
                "CREATE TABLE edges (id int PRIMARY KEY, "
                        + EDGES.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue().sqlType())
                                .collect(Collectors.joining(", "))
                        + ")"));
        statements.addAll(inserts);
        statements.addAll(List.of(
                "CREATE TABLE decimals (id int PRIMARY KEY, d38 numeric(38,10), d12 numeric(12,2), d18 numeric(18,0),"
                        + " d20 numeric(20,19), d38_0 numeric(38,0))",
                "SELECT setseed(0.42)",
                "INSERT INTO decimals SELECT g,"
                        + " round(((random() - 0.5) * 10 ^ trunc(random() * 28))::numeric, trunc(random() * 11)::int),"
                        + " round(((random() - 0.5) * 10 ^ trunc(random() * 10))::numeric, trunc(random() * 3)::int),"
                        + " round(((random() - 0.5) * 10 ^ trunc(random() * 18))::numeric),"
                        + " round((random() - 0.5)::numeric * 2, trunc(random() * 20)::int),"
                        + " trunc(((random() - 0.5) * 10 ^ trunc(random() * 38))::numeric)"
                        + " FROM generate_series(1, 3000) g",
                "CREATE TABLE nan_decimal (id int PRIMARY KEY, v numeric(12,2))",
                "INSERT INTO nan_decimal VALUES (1, 1.5), (2, 'NaN')"));
        exec(url, statements.toArray(String[]::new));
    }

    @Test
    void edgeValuesOfEveryTypeReadAsThroughTextJdbc() throws Exception {
        TableSchema schema = TestSql.schema(url, "public.edges");
        assertThat(schema.columns()).extracting(Column::type).contains(ColumnType.values());
        assertSameValuesBothWays(schema);
    }

    @Test
    void randomDecimalsReadAsThroughTextJdbc() throws Exception {
        assertSameValuesBothWays(TestSql.schema(url, "public.decimals"));
    }

    @Test
    void aNaNInADecimalColumnFailsTheReadNamingTheColumn() throws Exception {
        // Through text JDBC, reading NaN as a BigDecimal failed too: no number can stand for it.
        TableSchema schema = TestSql.schema(url, "public.nan_decimal");
        assertThatThrownBy(() -> readChunk(schema))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("column v (numeric(12,2))")
                .hasMessageContaining("NaN");
    }

    private static void assertSameValuesBothWays(TableSchema schema) throws Exception {
        List<Object[]> expected = readThroughTextJdbc(schema);
        List<Object[]> actual = readChunk(schema);
        assertThat(actual).hasSameSizeAs(expected);
        for (int row = 0; row < expected.size(); row++) {
            for (int col = 0; col < schema.columns().size(); col++) {
                Column column = schema.columns().get(col);
                Object want = expected.get(row)[col];
                Object got = actual.get(row)[col];
                String what =
                        "row " + expected.get(row)[0] + " column " + column.name() + " (" + column.sourceType() + ")";
                if (want == null) {
                    assertThat(got).as(what).isNull();
                } else if (want instanceof byte[] bytes) {
                    assertThat(got).as(what).isInstanceOf(byte[].class);
                    assertThat((byte[]) got).as(what).isEqualTo(bytes);
                } else {
                    assertThat(got).as(what).isNotNull();
                    assertThat(got.getClass()).as(what).isEqualTo(column.type().javaClass());
                    // equals: BigDecimal's includes the scale, Double's and Float's tell NaN and -0.0 apart
                    assertThat(got).as(what).isEqualTo(want);
                }
            }
        }
    }

    /** The table in key order as the text-mode JDBC path read it: a plain query, each column by {@link ColumnReader}. */
    private static List<Object[]> readThroughTextJdbc(TableSchema schema) throws SQLException {
        String select = schema.columns().stream()
                .map(c -> c.type() == ColumnType.JSON
                        ? "to_json(" + SqlIdentifiers.quote(c.name()) + ")::text"
                        : SqlIdentifiers.quote(c.name()))
                .collect(Collectors.joining(", "));
        List<Object[]> rows = new ArrayList<>();
        SnapshotSourceConfig config = TestSql.config(url, 100, schema.id().toString());
        try (Connection c = SourceConnections.open(config, "test");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT " + select + " FROM " + SqlIdentifiers.quote(schema.id()) + " ORDER BY id")) {
            while (rs.next()) {
                Object[] row = new Object[schema.columns().size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = ColumnReader.of(schema.columns().get(i).type()).read(rs, i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The whole table as one chunk, read by the split reader. */
    private static List<Object[]> readChunk(TableSchema schema) throws Exception {
        ChunkSplit split = ChunkSplit.keyRange(schema, 0, false, null, null);
        List<Object[]> rows = new ArrayList<>();
        try (ChunkSplitReader reader =
                new ChunkSplitReader(TestSql.config(url, 100, schema.id().toString()))) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            while (true) {
                RecordsWithSplitIds<SnapshotRow> batch = reader.fetch();
                while (batch.nextSplit() != null) {
                    SnapshotRow row;
                    while ((row = batch.nextRecordFromSplit()) != null) {
                        rows.add(row.record().values());
                    }
                }
                if (batch.finishedSplits().contains(split.splitId())) {
                    return rows;
                }
            }
        }
    }

    @Test
    void everyEdgeValueIsInTheTable() throws SQLException {
        // guards the test itself: a typo in a literal would leave a value out
        long nonNull = TestSql.queryLong(url, "SELECT count(*) FROM edges WHERE c_tstz IS NOT NULL");
        assertThat(nonNull).isEqualTo(EDGES.get("c_tstz").values().size());
        assertThat(Arrays.asList(ColumnType.values())).isNotEmpty();
    }
}
