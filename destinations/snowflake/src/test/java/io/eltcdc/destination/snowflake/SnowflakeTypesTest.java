package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.snowflake.SnowflakeTypeChange.CatalogType;
import io.eltcdc.destination.snowflake.SnowflakeTypeChange.Verdict;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Snowflake's type of every pipeline type, its form in load files and conversion from there, and type changes. */
class SnowflakeTypesTest {

    private static Column of(ColumnType type) {
        return type == ColumnType.DECIMAL ? Column.decimal("c", 12, 4) : Column.of("c", type);
    }

    @Test
    void everyColumnTypeHasASnowflakeType() {
        Map<ColumnType, String> expected = new EnumMap<>(ColumnType.class);
        expected.put(ColumnType.INT32, "NUMBER(10,0)");
        expected.put(ColumnType.INT64, "NUMBER(19,0)");
        expected.put(ColumnType.FLOAT32, "FLOAT");
        expected.put(ColumnType.FLOAT64, "FLOAT");
        expected.put(ColumnType.BOOLEAN, "BOOLEAN");
        expected.put(ColumnType.DECIMAL, "NUMBER(12,4)");
        expected.put(ColumnType.DECIMAL_TEXT, "VARCHAR");
        expected.put(ColumnType.STRING, "VARCHAR");
        expected.put(ColumnType.DATE, "DATE");
        expected.put(ColumnType.TIME, "TIME(6)");
        expected.put(ColumnType.TIMESTAMP, "TIMESTAMP_NTZ(6)");
        expected.put(ColumnType.TIMESTAMP_TZ, "TIMESTAMP_TZ(6)");
        expected.put(ColumnType.UUID, "VARCHAR(36)");
        expected.put(ColumnType.JSON, "VARIANT");
        expected.put(ColumnType.BYTES, "BINARY");
        assertThat(expected.keySet()).containsExactly(ColumnType.values()); // a new type must be mapped here too
        for (ColumnType type : ColumnType.values()) {
            assertThat(SnowflakeSql.typeOf(of(type))).as(type.name()).isEqualTo(expected.get(type));
        }
        assertThat(SnowflakeSql.typeOf(Column.decimal("c", 38, 0))).isEqualTo("NUMBER(38,0)");
        assertThat(SnowflakeSql.typeOf(Column.decimal("c", 38, 38))).isEqualTo("NUMBER(38,38)");
    }

    @Test
    void everyColumnTypeIsConvertedExactlyFromItsLoadFileValue() {
        Map<ColumnType, String> expected = new EnumMap<>(ColumnType.class);
        expected.put(ColumnType.INT32, "v::NUMBER(10,0)");
        expected.put(ColumnType.INT64, "v::VARCHAR::NUMBER(19,0)");
        expected.put(ColumnType.FLOAT32, "v::FLOAT");
        expected.put(ColumnType.FLOAT64, "v::FLOAT");
        expected.put(ColumnType.BOOLEAN, "v::BOOLEAN");
        expected.put(ColumnType.DECIMAL, "v::VARCHAR::NUMBER(12,4)");
        expected.put(ColumnType.DECIMAL_TEXT, "v::VARCHAR");
        expected.put(ColumnType.STRING, "v::VARCHAR");
        expected.put(ColumnType.DATE, "DATEADD(DAY, v::NUMBER(10,0), '1970-01-01'::DATE)");
        expected.put(ColumnType.TIME, "TIMEADD(MICROSECOND, v::VARCHAR::NUMBER(19,0), '00:00:00'::TIME(6))");
        expected.put(ColumnType.TIMESTAMP, "TO_TIMESTAMP_NTZ(v::VARCHAR::NUMBER(19,0), 6)");
        expected.put(ColumnType.TIMESTAMP_TZ, "TO_TIMESTAMP_TZ(v::VARCHAR::NUMBER(19,0), 6)");
        expected.put(ColumnType.UUID, "v::VARCHAR");
        expected.put(ColumnType.JSON, "PARSE_JSON(v::VARCHAR)");
        expected.put(ColumnType.BYTES, "TO_BINARY(v::VARCHAR, 'HEX')");
        Map<ColumnType, Schema.Type> loadTypes = new EnumMap<>(ColumnType.class);
        loadTypes.put(ColumnType.INT32, Schema.Type.INT);
        loadTypes.put(ColumnType.DATE, Schema.Type.INT);
        loadTypes.put(ColumnType.FLOAT32, Schema.Type.FLOAT);
        loadTypes.put(ColumnType.FLOAT64, Schema.Type.DOUBLE);
        loadTypes.put(ColumnType.BOOLEAN, Schema.Type.BOOLEAN);
        for (ColumnType type : ColumnType.values()) {
            assertThat(AvroVariantValues.of(of(type), "v")).as(type.name()).isEqualTo(expected.get(type));
            // Everything a double might not hold exactly (and bytes) travels as text, without logical types.
            Schema load = AvroVariantValues.loadType(of(type));
            assertThat(load.getType()).as(type.name()).isEqualTo(loadTypes.getOrDefault(type, Schema.Type.STRING));
            assertThat(load.getLogicalType()).as(type.name()).isNull();
        }
        assertThat(AvroVariantValues.of(Column.decimal("c", 38, 10), "v")).isEqualTo("v::VARCHAR::NUMBER(38,10)");
        assertThat(AvroVariantValues.position("v")).isEqualTo("v::VARCHAR::NUMBER(38,0)");
    }

    private static CatalogType number(int precision, int scale) {
        return new CatalogType("NUMBER", precision, scale, null);
    }

    @Test
    void typeChangesTheSourceMakes() {
        // integer -> bigint, numeric(6,2) -> numeric(12,2): higher precision, same scale: in place
        assertThat(SnowflakeTypeChange.judge(number(10, 0), Column.of("c", ColumnType.INT64)))
                .isEqualTo(Verdict.ALTER_IN_PLACE);
        assertThat(SnowflakeTypeChange.judge(number(6, 2), Column.decimal("c", 12, 2)))
                .isEqualTo(Verdict.ALTER_IN_PLACE);
        // more scale, number -> text, integer -> double: Snowflake cannot alter these in place
        assertThat(SnowflakeTypeChange.judge(number(6, 2), Column.decimal("c", 12, 3)))
                .isEqualTo(Verdict.REBUILD);
        assertThat(SnowflakeTypeChange.judge(number(10, 0), Column.decimal("c", 12, 2)))
                .isEqualTo(Verdict.REBUILD);
        assertThat(SnowflakeTypeChange.judge(number(10, 0), Column.of("c", ColumnType.FLOAT64)))
                .isEqualTo(Verdict.REBUILD);
        assertThat(SnowflakeTypeChange.judge(number(6, 2), Column.of("c", ColumnType.STRING)))
                .isEqualTo(Verdict.REBUILD);
        assertThat(SnowflakeTypeChange.judge(
                        new CatalogType("DATE", null, null, null), Column.of("c", ColumnType.STRING)))
                .isEqualTo(Verdict.REBUILD);
        assertThat(SnowflakeTypeChange.judge(
                        new CatalogType("TEXT", null, null, 36L), Column.of("c", ColumnType.STRING)))
                .isEqualTo(Verdict.ALTER_IN_PLACE);
        // unchanged, or wider already (files of an older version)
        assertThat(SnowflakeTypeChange.judge(number(10, 0), Column.of("c", ColumnType.INT32)))
                .isEqualTo(Verdict.SAME);
        assertThat(SnowflakeTypeChange.judge(number(19, 0), Column.of("c", ColumnType.INT32)))
                .isEqualTo(Verdict.SAME);
        assertThat(SnowflakeTypeChange.judge(number(12, 3), Column.decimal("c", 6, 2)))
                .isEqualTo(Verdict.SAME);
        assertThat(SnowflakeTypeChange.judge(
                        new CatalogType("TEXT", null, null, SnowflakeTypeChange.MAX_VARCHAR),
                        Column.of("c", ColumnType.INT64)))
                .isEqualTo(Verdict.SAME);
        assertThat(SnowflakeTypeChange.judge(
                        new CatalogType("FLOAT", null, null, null), Column.of("c", ColumnType.INT32)))
                .isEqualTo(Verdict.SAME);
        // kinds not compared: left to the merge (which fails if values do not fit)
        assertThat(SnowflakeTypeChange.judge(
                        new CatalogType("DATE", null, null, null), Column.of("c", ColumnType.UUID)))
                .isEqualTo(Verdict.SAME);
        // values would be lost: refused
        assertThat(SnowflakeTypeChange.judge(number(6, 2), Column.of("c", ColumnType.INT64)))
                .isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(SnowflakeTypeChange.judge(number(19, 0), Column.of("c", ColumnType.FLOAT64)))
                .isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(SnowflakeTypeChange.judge(new CatalogType("FLOAT", null, null, null), Column.decimal("c", 10, 2)))
                .isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(SnowflakeTypeChange.judge(
                        new CatalogType("BOOLEAN", null, null, null), Column.of("c", ColumnType.INT32)))
                .isEqualTo(Verdict.INCOMPATIBLE);
        assertThat(number(6, 2).text()).isEqualTo("NUMBER(6,2)");
    }
}
