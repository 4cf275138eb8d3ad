package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the destination names schemas, tables and columns in Snowflake
 * ({@code destination.identifier-case}).
 *
 * <p>Snowflake keeps an unquoted identifier in upper case and resolves unquoted names in queries
 * as upper case: a table created as {@code "public"."orders"} sits beside {@code PUBLIC} and is
 * found only by quoted lower-case SQL. So by default ({@link #UPPER}) names follow Snowflake's
 * convention, as the ledger's ({@code ELT_CDC.LOADS}) do: a name Snowflake would take unquoted
 * ({@link #isUnquotedIdentifier}) is kept in upper case ({@code orders} → {@code ORDERS},
 * {@code _elt_op} → {@code _ELT_OP}), any other as given ({@code Order Items}); {@link #SOURCE}
 * keeps every name as the source has it (the behaviour before the option existed).
 *
 * <ul>
 *   <li>One rule decides which names Snowflake would take unquoted, {@link #isUnquotedIdentifier};
 *       the stage's storage integration is named by it too.
 *   <li>Names are always written quoted, in the case they are kept in: {@code "ORDERS"} is the
 *       table that {@code orders} names unquoted.
 *   <li>Converting a converted name changes nothing ({@link io.eltcdc.destination.sql.MergeSql}
 *       converts every name it writes, also those converted already).
 *   <li>Names that would become one ({@code Id} and {@code id}) are refused, never merged.
 * </ul>
 */
public enum SnowflakeNames {
    /** Snowflake's convention: names valid unquoted in upper case, others as given. The default. */
    UPPER,
    /** Every name as the source has it. */
    SOURCE;

    /** Snowflake's longest identifier, in characters. */
    static final int MAX_IDENTIFIER_LENGTH = 255;

    /** The values of {@code identifier-case}, in the README's order. */
    static final List<String> CONFIG_NAMES = List.of(UPPER.configName(), SOURCE.configName());

    /**
     * Whether Snowflake would take {@code name} unquoted: a letter or underscore, then letters,
     * digits, underscores and dollar signs (Snowflake's rule for unquoted identifiers).
     */
    static boolean isUnquotedIdentifier(String name) {
        return name.length() <= MAX_IDENTIFIER_LENGTH && name.matches("[A-Za-z_][A-Za-z0-9_$]*");
    }

    /** {@code upper} or {@code source}, as configured. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named {@code configName} ({@link #configName()}). */
    static SnowflakeNames of(String configName) {
        for (SnowflakeNames names : values()) {
            if (names.configName().equals(configName)) {
                return names;
            }
        }
        throw new IllegalArgumentException(
                "unknown identifier-case '" + configName + "' (known: " + CONFIG_NAMES + ")");
    }

    /** The name under which Snowflake keeps the schema, table or column {@code name}. */
    String identifier(String name) {
        return this == UPPER && isUnquotedIdentifier(name) ? name.toUpperCase(Locale.ROOT) : name;
    }

    /** {@code name} for SQL: {@link #identifier}, quoted. */
    String quote(String name) {
        return SqlIdentifiers.quote(identifier(name));
    }

    /** The target table of {@code source}, or of its name in {@code schemaOverride}. */
    TargetTable target(TableId source, String schemaOverride) {
        TargetTable exact = TargetTable.of(null, source, schemaOverride);
        return new TargetTable(null, identifier(exact.schema()), identifier(exact.table()));
    }

    /**
     * {@code schema} with its column and key names as Snowflake keeps them (same order, so column
     * indexes are unchanged); the table id stays the source's. A rename that only changes case is
     * no rename here.
     *
     * @throws IllegalArgumentException if two columns would be one, or a column would be a metadata column
     */
    TableSchema columnsOf(TableSchema schema) {
        Map<String, String> seen = new HashMap<>();
        List<Column> columns = new ArrayList<>(schema.columns().size());
        for (Column column : schema.columns()) {
            String name = identifier(column.name());
            String other = seen.putIfAbsent(name, column.name());
            if (other != null) {
                throw new IllegalArgumentException("columns '" + other + "' and '" + column.name() + "' of "
                        + schema.id() + " are one column, " + name + ", in Snowflake's upper-case names"
                        + " (destination.identifier-case: upper); rename one of them in the source, or set"
                        + " destination.identifier-case: source to keep the source's names");
            }
            if (MetadataColumns.isMetadata(name, this::identifier)) {
                throw new IllegalArgumentException("column '" + column.name() + "' of " + schema.id()
                        + " has the name of the metadata column " + name + "; rename it in the source");
            }
            columns.add(new Column(
                    name, column.type(), column.precision(), column.scale(), column.nullable(), column.sourceType()));
        }
        List<String> key = schema.keyColumns().stream().map(this::identifier).toList();
        Map<String, String> renamedFrom = new HashMap<>();
        schema.renamedFrom().forEach((now, former) -> {
            if (!identifier(now).equals(identifier(former))) {
                renamedFrom.put(identifier(now), identifier(former));
            }
        });
        return new TableSchema(schema.id(), columns, key, renamedFrom);
    }

    /**
     * Checks that no two of {@code tables} load into one target table because their names differ
     * only in case ({@code shop.Orders} and {@code shop.orders}, both {@code SHOP.ORDERS}).
     *
     * @throws IllegalArgumentException naming both tables and the target
     */
    void checkDistinctTargets(List<TableId> tables, String schemaOverride) {
        Map<TargetTable, TableId> seen = new HashMap<>();
        for (TableId table : tables) {
            TableId other = seen.putIfAbsent(target(table, schemaOverride), table);
            if (other != null && !SOURCE.target(other, schemaOverride).equals(SOURCE.target(table, schemaOverride))) {
                throw new IllegalArgumentException("tables " + other + " and " + table + " would both load into "
                        + target(table, schemaOverride).sql() + " in Snowflake's upper-case names"
                        + " (destination.identifier-case: upper); leave one of them out of the pipeline, or set"
                        + " destination.identifier-case: source to keep the source's names");
            }
        }
    }
}
