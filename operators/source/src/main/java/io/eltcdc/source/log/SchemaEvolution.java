package io.eltcdc.source.log;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The next schema version of a table, from the version the pipeline streams with and the columns
 * a change event has.
 *
 * <ul>
 *   <li>A column the event gained is added.
 *   <li>A column the event lacks stays, at the end, and receives NULL from now on (the destination
 *       keeps it with its values).
 *   <li>A column that left and a column that appeared <em>in the same place</em> (after the same
 *       surviving column) <em>with the same type</em> are a rename: the new name takes the old
 *       one's place and the schema notes the former name, so that the destination renames its
 *       column (and keeps its values) instead of adding an empty one. PostgreSQL and MySQL keep a
 *       renamed column's place; a dropped column followed by an added one puts the new one last.
 * </ul>
 *
 * Renames noted earlier are carried on while the new name exists, so that every later version
 * tells the loader too (one batch may hold files of several versions).
 */
final class SchemaEvolution {
    private SchemaEvolution() {}

    /**
     * The columns of a change event: its field names, in its order, with their types from the
     * source catalog (read now, so it may be ahead of the event) or else from the current version.
     * The catalog may already have renamed a column the event still names: when exactly one field
     * is in neither and exactly one catalog column is in neither the event nor the current version,
     * that column's type is the field's. Other unexplained fields are left out.
     */
    static TableSchema atEvent(TableSchema current, TableSchema catalog, List<String> fieldNames) {
        List<String> unexplained = fieldNames.stream()
                .filter(n -> catalog.indexOf(n) < 0 && current.indexOf(n) < 0)
                .toList();
        List<Column> unclaimed = catalog.columns().stream()
                .filter(c -> !fieldNames.contains(c.name()) && current.indexOf(c.name()) < 0)
                .toList();
        Column standIn = unexplained.size() == 1 && unclaimed.size() == 1 ? unclaimed.get(0) : null;
        List<Column> columns = new ArrayList<>();
        for (String name : fieldNames) {
            if (catalog.indexOf(name) >= 0) {
                columns.add(catalog.columns().get(catalog.indexOf(name)));
            } else if (current.indexOf(name) >= 0) {
                columns.add(current.columns().get(current.indexOf(name)));
            } else if (standIn != null) {
                columns.add(new Column(
                        name,
                        standIn.type(),
                        standIn.precision(),
                        standIn.scale(),
                        standIn.nullable(),
                        standIn.sourceType()));
            }
        }
        List<String> names = columns.stream().map(Column::name).toList();
        List<String> key = names.containsAll(current.keyColumns()) ? current.keyColumns() : catalog.keyColumns();
        return new TableSchema(current.id(), columns, key);
    }

    /**
     * @param inLastEvent the columns of the table's previous event: only those can have been
     *     renamed (a column dropped earlier and kept is not; after a restart nothing is known)
     */
    static TableSchema next(TableSchema current, TableSchema event, Set<String> inLastEvent) {
        Map<String, String> renamedFrom = new LinkedHashMap<>();
        current.renamedFrom().forEach((name, former) -> {
            if (event.indexOf(name) >= 0) {
                renamedFrom.put(name, former);
            }
        });
        Set<String> surviving = new HashSet<>();
        current.columns().stream()
                .map(Column::name)
                .filter(n -> event.indexOf(n) >= 0)
                .forEach(surviving::add);
        Set<String> paired = new HashSet<>();
        List<Column> kept = new ArrayList<>();
        List<String> key = new ArrayList<>(current.keyColumns());
        for (Column old : current.columns()) {
            if (surviving.contains(old.name())) {
                continue;
            }
            Column renamed = null;
            for (Column fresh : inLastEvent.contains(old.name()) ? event.columns() : List.<Column>of()) {
                if (current.indexOf(fresh.name()) < 0
                        && !paired.contains(fresh.name())
                        && sameType(old, fresh)
                        && precedingSurvivor(current, old.name(), surviving)
                                .equals(precedingSurvivor(event, fresh.name(), surviving))) {
                    renamed = fresh;
                    break;
                }
            }
            if (renamed != null) {
                String name = renamed.name();
                paired.add(name);
                renamedFrom.put(name, old.name());
                key.replaceAll(k -> k.equals(old.name()) ? name : k);
            } else {
                kept.add(old); // dropped in the source: kept, NULL from now on
            }
        }
        List<Column> columns = new ArrayList<>(event.columns());
        columns.addAll(kept);
        return new TableSchema(current.id(), columns, key, renamedFrom);
    }

    /** The nearest column before {@code name} that both versions have; "" at the start. */
    private static String precedingSurvivor(TableSchema table, String name, Set<String> surviving) {
        String before = "";
        for (Column c : table.columns()) {
            if (c.name().equals(name)) {
                return before;
            }
            if (surviving.contains(c.name())) {
                before = c.name();
            }
        }
        return before;
    }

    private static boolean sameType(Column a, Column b) {
        return a.typeText().equals(b.typeText());
    }
}
