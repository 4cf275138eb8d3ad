package io.eltcdc.destination.staged;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts a batch's files load in, and their order. */
class SchemaVersionGroupsTest {
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final TableSchema INT_AMOUNT = schema(Column.of("amount", ColumnType.INT32));
    private static final TableSchema BIGINT_AMOUNT = schema(Column.of("amount", ColumnType.INT64));
    private static final TableSchema WITH_NOTE =
            schema(Column.of("amount", ColumnType.INT32), Column.of("note", ColumnType.STRING));

    /** A staged file as a loader sees it: its schema, and its first record's position (null: no records). */
    private record File(String name, TableSchema schema, Long first) {}

    private static TableSchema schema(Column... columns) {
        List<Column> all = new ArrayList<>(List.of(Column.of("id", ColumnType.INT32)));
        all.addAll(List.of(columns));
        return new TableSchema(ORDERS, all, List.of("id"));
    }

    private final List<String> read = new ArrayList<>();

    private List<List<String>> parts(File... files) throws Exception {
        return SchemaVersionGroups.of(List.of(files), File::schema, f -> {
                    read.add(f.name());
                    return f.first() == null ? null : new Position(0, f.first());
                })
                .stream()
                .map(part -> part.stream().map(File::name).toList())
                .toList();
    }

    @Test
    void filesWhoseTypesAgreeLoadInOnePartWithoutBeingRead() throws Exception {
        assertThat(parts(new File("b", WITH_NOTE, 30L), new File("a", INT_AMOUNT, 20L), new File("c", WITH_NOTE, 5L)))
                .containsExactly(List.of("b", "a", "c"));
        assertThat(read).as("no file is read ahead for one part").isEmpty();
        assertThat(parts()).isEmpty();
    }

    @Test
    void versionsGivenNewerFirstLoadOldestFirst() throws Exception {
        // The batch lists the files as the writers committed them: the newer version's first.
        assertThat(parts(
                        new File("bigint-1", BIGINT_AMOUNT, 40L),
                        new File("int-1", INT_AMOUNT, 20L),
                        new File("bigint-2", BIGINT_AMOUNT, 31L),
                        new File("int-2", INT_AMOUNT, 25L)))
                .containsExactly(List.of("int-1", "int-2"), List.of("bigint-1", "bigint-2"));
        // A part starts at the smallest first position of its files, not its first file's.
        read.clear();
        assertThat(parts(
                        new File("int-1", INT_AMOUNT, 50L),
                        new File("bigint-1", BIGINT_AMOUNT, 40L),
                        new File("int-2", INT_AMOUNT, 10L)))
                .containsExactly(List.of("int-1", "int-2"), List.of("bigint-1"));
        assertThat(read).containsExactlyInAnyOrder("int-1", "bigint-1", "int-2");
    }

    @Test
    void equalFirstPositionsKeepTheirOrderAndPartsWithoutRecordsGoLast() throws Exception {
        // Snapshot rows of both versions carry the snapshot's start position.
        assertThat(parts(new File("bigint", BIGINT_AMOUNT, 7L), new File("int", INT_AMOUNT, 7L)))
                .containsExactly(List.of("bigint"), List.of("int"));
        assertThat(parts(new File("int", INT_AMOUNT, 7L), new File("bigint", BIGINT_AMOUNT, 7L)))
                .containsExactly(List.of("int"), List.of("bigint"));
        assertThat(parts(new File("empty", INT_AMOUNT, null), new File("bigint", BIGINT_AMOUNT, 9L)))
                .containsExactly(List.of("bigint"), List.of("empty"));
    }

    @Test
    void oldestFirstOrdersGroupsMadeByTheCaller() throws Exception {
        List<List<String>> byVersion =
                SchemaVersionGroups.byVersion(List.of("v2:a", "v1:b", "v2:c"), name -> name.substring(0, 2));
        assertThat(byVersion).containsExactly(List.of("v2:a", "v2:c"), List.of("v1:b"));

        assertThat(SchemaVersionGroups.oldestFirst(
                        byVersion, name -> new Position(0, name.startsWith("v1") ? 1 : name.equals("v2:c") ? 2 : 3)))
                .containsExactly(List.of("v1:b"), List.of("v2:a", "v2:c"));
    }
}
