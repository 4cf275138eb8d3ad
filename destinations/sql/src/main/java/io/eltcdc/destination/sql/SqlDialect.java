package io.eltcdc.destination.sql;

/**
 * What differs in SQL between the destinations that load through {@link JdbcLoader} and
 * {@link MergeSql} (DuckDB, PostgreSQL, Snowflake): type names, the form of session-temporary tables,
 * the fastest "latest record per key" query. Their statements are written once over it. Redshift and
 * BigQuery render statements of their own shape (delete and insert; a GoogleSQL script), but build
 * them from the same {@link MergeRules} and keep the same {@link LoadLedger}. Type changes are judged
 * by {@link io.eltcdc.destination.ColumnTypeChange} here; the cloud warehouses, whose types differ,
 * still judge theirs in their own modules.
 */
public interface SqlDialect extends ChecksumDialect {

    /** SQL type of {@code _elt_op}. */
    String opType();

    /** SQL type of {@code _elt_position}: an exact 38-digit integer. */
    String positionType();

    /** SQL type of {@code _elt_synced_at}: a timestamp with time zone. */
    String syncedAtType();

    /**
     * The load's time, as SQL: an expression of a timestamp with time zone, the same for every
     * statement of the load's transaction. It fills {@code _elt_synced_at} and the ledger's
     * {@code loaded_at}. Redshift, which renders its own statements, spells it differently
     * ({@code RedshiftSql.NOW}): {@code CURRENT_TIMESTAMP} runs on its leader node only and fails
     * where a statement reads or writes a table.
     */
    default String loadTime() {
        return "CURRENT_TIMESTAMP";
    }

    /** SQL type of {@code _elt_deleted} (soft-delete mode). */
    default String deletedType() {
        return "BOOLEAN";
    }

    /**
     * An aggregate expression: {@code value} of the row with the highest {@code order} among the
     * group's rows where {@code filter} holds (NULL values count; NULL when no row qualifies).
     */
    default String latestValue(String value, String order, String filter) {
        return "(array_agg(" + value + " ORDER BY " + order + " DESC) FILTER (WHERE " + filter + "))[1]";
    }

    /**
     * An aggregate expression: whether {@code condition} holds for any of the group's rows.
     * (Snowflake names the aggregate {@code BOOLOR_AGG}.)
     */
    default String anyOf(String condition) {
        return "bool_or(" + condition + ")";
    }

    /** Whether target tables declare a PRIMARY KEY on the key columns. */
    boolean declaresPrimaryKey();

    /**
     * A query of the rows of {@code table} with the highest {@code position} per {@code key} (one row
     * per key), all columns. Each database has its fastest form.
     */
    String latestPerKey(String table, String key, String position);

    /** How SQL names the session-temporary table {@code name}. */
    String tempTable(String name);

    /** Creates the session-temporary table {@code name} with the column definitions {@code columns}. */
    String createTempTable(String name, String columns);

    /** Creates the session-temporary table {@code name} from {@code query}. */
    String createTempTableAs(String name, String query);
}
