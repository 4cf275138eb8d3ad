package io.eltcdc.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.testing.SampleRecords;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {
    @Test
    void schemaRoundTripsThroughAvroIncludingOddNames() {
        TableSchema table = SampleRecords.allTypesTable();
        Schema avro = AvroSchemas.toAvro(table);
        // The schema text is what a staged file stores: parse it back as a reader would.
        Schema parsed = new Schema.Parser().parse(avro.toString());
        assertThat(AvroSchemas.fromAvro(parsed)).isEqualTo(table);
        assertThat(AvroSchemas.fromAvro(parsed).version()).isEqualTo(table.version());
        assertThat(parsed.getField(AvroSchemas.POSITION_FIELD)).isNotNull();
        // The last field lists the columns a record did not send: null, or an array of their indexes.
        Schema.Field unchanged = parsed.getField(AvroSchemas.UNCHANGED_FIELD);
        assertThat(unchanged.pos()).isEqualTo(parsed.getFields().size() - 1);
        assertThat(unchanged.schema().getTypes())
                .extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.ARRAY);
        assertThat(unchanged.schema().getTypes().get(1).getElementType().getType())
                .isEqualTo(Schema.Type.INT);
        assertThat(unchanged.hasDefaultValue()).isTrue();
        assertThat(parsed.getField("Odd__Name___")).isNotNull();
    }

    @Test
    void renamedColumnsRoundTripThroughAvro() {
        TableSchema table = new TableSchema(
                new TableId("shop", "items"),
                List.of(Column.of("id", ColumnType.INT64), Column.of("Colour Name", ColumnType.STRING)),
                List.of("id"),
                java.util.Map.of("Colour Name", "color"));

        TableSchema back = AvroSchemas.fromAvro(
                new Schema.Parser().parse(AvroSchemas.toAvro(table).toString()));

        assertThat(back).isEqualTo(table);
        assertThat(back.renamedFrom()).containsExactly(java.util.Map.entry("Colour Name", "color"));
        assertThat(back.version())
                .as("the version follows the columns, not the note of a rename")
                .isEqualTo(new TableSchema(table.id(), table.columns(), table.keyColumns()).version());
    }

    @Test
    void versionChangesWithColumnsOnly() {
        TableId id = new TableId("s", "t");
        TableSchema a = new TableSchema(id, List.of(Column.of("id", ColumnType.INT64)), List.of("id"));
        TableSchema same = new TableSchema(id, List.of(Column.of("id", ColumnType.INT64)), List.of("id"));
        TableSchema added = new TableSchema(
                id, List.of(Column.of("id", ColumnType.INT64), Column.of("x", ColumnType.STRING)), List.of("id"));
        TableSchema retyped = new TableSchema(id, List.of(Column.of("id", ColumnType.INT32)), List.of("id"));
        assertThat(same.version()).isEqualTo(a.version());
        assertThat(added.version()).isNotEqualTo(a.version());
        assertThat(retyped.version()).isNotEqualTo(a.version());
    }

    @Test
    void everyValueRoundTripsThroughItsAvroForm() {
        TableSchema table = SampleRecords.allTypesTable();
        for (Object[] row : SampleRecords.allTypesRows()) {
            for (int i = 0; i < row.length; i++) {
                Column column = table.columns().get(i);
                Object back = AvroValues.fromAvro(column, AvroValues.toAvro(column, row[i]));
                assertThat(back).as(column.name()).isEqualTo(row[i]);
            }
        }
    }

    @Test
    void aColumnNamedLikeTheUnchangedFieldGetsAnotherAvroName() {
        TableSchema table = new TableSchema(
                new TableId("s", "t"),
                List.of(Column.of("id", ColumnType.INT64), Column.of(AvroSchemas.UNCHANGED_FIELD, ColumnType.STRING)),
                List.of("id"));
        Schema avro = AvroSchemas.toAvro(table);
        assertThat(avro.getField(AvroSchemas.UNCHANGED_FIELD + "_2").getProp("elt.column"))
                .isEqualTo(AvroSchemas.UNCHANGED_FIELD);
        assertThat(AvroSchemas.fromAvro(avro)).isEqualTo(table);
    }

    @Test
    void unchangedColumnsRoundTripThroughTheirAvroForm() {
        assertThat(AvroValues.unchangedToAvro(new int[0])).isNull();
        assertThat(AvroValues.unchangedToAvro(new int[] {2, 5})).containsExactly(2, 5);
        assertThat(AvroValues.unchangedFromAvro(AvroValues.unchangedToAvro(new int[] {2, 5})))
                .containsExactly(2, 5);
        assertThat(AvroValues.unchangedFromAvro(null)).isEmpty();
    }

    @Test
    void tableNamesSplitAtTheFirstDot() {
        assertThat(TableId.parse("hidden.Odd Table")).isEqualTo(new TableId("hidden", "Odd Table"));
        assertThat(TableId.parse("a.b.c")).isEqualTo(new TableId("a", "b.c"));
    }
}
