package io.eltcdc.source.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a table's schema version follows its source catalog: added, dropped and renamed columns. */
class SchemaEvolutionTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final Column ID = Column.of("id", ColumnType.INT64);
    private static final Column NAME = Column.of("name", ColumnType.STRING);
    private static final Column COLOR = Column.of("color", ColumnType.STRING);
    private static final Column QTY = Column.of("qty", ColumnType.INT32);

    @Test
    void addedColumnsJoinDroppedColumnsStayAtTheEnd() {
        TableSchema current = table(List.of(ID, NAME, COLOR, QTY), Map.of());
        TableSchema catalog = table(List.of(ID, NAME, QTY, Column.of("note", ColumnType.STRING)), Map.of());

        TableSchema next = SchemaEvolution.next(current, catalog, names(current));

        assertThat(next.columns()).extracting(Column::name).containsExactly("id", "name", "qty", "note", "color");
        assertThat(next.renamedFrom()).isEmpty();
    }

    @Test
    void aColumnReplacedInPlaceByOneOfTheSameTypeIsARename() {
        TableSchema current = table(List.of(ID, NAME, COLOR, QTY), Map.of());
        TableSchema catalog = table(List.of(ID, NAME, Column.of("colour", ColumnType.STRING), QTY), Map.of());

        TableSchema next = SchemaEvolution.next(current, catalog, names(current));

        assertThat(next.columns()).extracting(Column::name).containsExactly("id", "name", "colour", "qty");
        assertThat(next.renamedFrom()).containsExactly(Map.entry("colour", "color"));
        // Carried on while the name lives; a second rename names the name the destination has by then.
        TableSchema added = SchemaEvolution.next(
                next,
                table(
                        List.of(
                                ID,
                                NAME,
                                Column.of("colour", ColumnType.STRING),
                                QTY,
                                Column.of("note", ColumnType.STRING)),
                        Map.of()),
                names(next));
        assertThat(added.renamedFrom()).containsExactly(Map.entry("colour", "color"));
        TableSchema again = SchemaEvolution.next(
                added,
                table(
                        List.of(
                                ID,
                                NAME,
                                Column.of("hue", ColumnType.STRING),
                                QTY,
                                Column.of("note", ColumnType.STRING)),
                        Map.of()),
                names(added));
        assertThat(again.renamedFrom()).containsExactly(Map.entry("hue", "colour"));
    }

    @Test
    void anotherTypeOrAnotherPlaceIsADropAndAnAdd() {
        TableSchema current = table(List.of(ID, NAME, COLOR, QTY), Map.of());

        TableSchema retyped = SchemaEvolution.next(
                current,
                table(List.of(ID, NAME, Column.of("colour", ColumnType.INT32), QTY), Map.of()),
                names(current));
        TableSchema moved = SchemaEvolution.next(
                current,
                table(List.of(ID, NAME, QTY, Column.of("colour", ColumnType.STRING)), Map.of()),
                names(current));

        assertThat(retyped.renamedFrom()).isEmpty();
        assertThat(retyped.columns()).extracting(Column::name).containsExactly("id", "name", "colour", "qty", "color");
        assertThat(moved.renamedFrom()).isEmpty();
        assertThat(moved.columns()).extracting(Column::name).containsExactly("id", "name", "qty", "colour", "color");
    }

    @Test
    void aRenamedKeyColumnStaysTheKey() {
        TableSchema current = table(List.of(ID, NAME), Map.of());
        Column itemId = Column.of("item_id", ColumnType.INT64);

        TableSchema next = SchemaEvolution.next(
                current, new TableSchema(ITEMS, List.of(itemId, NAME), List.of("item_id")), names(current));

        assertThat(next.keyColumns()).containsExactly("item_id");
        assertThat(next.renamedFrom()).containsExactly(Map.entry("item_id", "id"));
    }

    @Test
    void aDroppedColumnKeptEarlierIsNotTakenForARename() {
        TableSchema current = table(List.of(ID, NAME, COLOR), Map.of()); // color: dropped earlier, kept
        TableSchema event = table(List.of(ID, NAME, Column.of("note", ColumnType.STRING)), Map.of());

        TableSchema next = SchemaEvolution.next(current, event, Set.of("id", "name"));

        assertThat(next.renamedFrom()).isEmpty();
        assertThat(next.columns()).extracting(Column::name).containsExactly("id", "name", "note", "color");
    }

    @Test
    void aRenameIsFoundAfterOtherColumnsWereDropped() {
        TableSchema current = table(List.of(ID, NAME, Column.decimal("amount", 10, 2), QTY, COLOR), Map.of());
        TableSchema event = table(List.of(ID, NAME, QTY, Column.of("colour", ColumnType.STRING)), Map.of());

        TableSchema next = SchemaEvolution.next(current, event, names(current));

        assertThat(next.renamedFrom()).containsExactly(Map.entry("colour", "color"));
        assertThat(next.columns()).extracting(Column::name).containsExactly("id", "name", "qty", "colour", "amount");
    }

    @Test
    void anEventBehindTheCatalogKeepsItsOwnNames() {
        // The event added "color"; since then the source dropped "amount", widened "qty" and renamed
        // "color" to "colour", and the catalog (read now) says so.
        TableSchema current = table(List.of(ID, NAME, Column.decimal("amount", 10, 2), QTY), Map.of());
        TableSchema catalog = table(
                List.of(ID, NAME, Column.of("qty", ColumnType.INT64), Column.of("colour", ColumnType.STRING)),
                Map.of());

        TableSchema event = SchemaEvolution.atEvent(current, catalog, List.of("id", "name", "amount", "qty", "color"));

        assertThat(event.columns())
                .containsExactly(ID, NAME, Column.decimal("amount", 10, 2), Column.of("qty", ColumnType.INT64), COLOR);
        // Two fields the catalog cannot explain: neither is guessed.
        TableSchema unsure =
                SchemaEvolution.atEvent(current, catalog, List.of("id", "name", "amount", "qty", "color", "size"));
        assertThat(unsure.columns()).extracting(Column::name).containsExactly("id", "name", "amount", "qty");
    }

    private static Set<String> names(TableSchema table) {
        return table.columns().stream().map(Column::name).collect(java.util.stream.Collectors.toSet());
    }

    private static TableSchema table(List<Column> columns, Map<String, String> renamedFrom) {
        return new TableSchema(ITEMS, columns, List.of("id"), renamedFrom);
    }
}
