package io.eltcdc.destination.bigquery;

import static io.eltcdc.destination.bigquery.BigQueryNames.literal;
import static io.eltcdc.destination.bigquery.BigQueryNames.quote;

import com.google.cloud.bigquery.StandardSQLTypeName;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.model.Column;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The DDL statements of target tables, datasets and the ledger, in GoogleSQL. Every column
 * elt-cdc creates has a description naming its source column (where BigQuery needed another
 * name), its source type and its elt-cdc type (INT32 and INT64 are both INT64 in BigQuery).
 */
final class BigQueryDdl {
    /** Types BigQuery can cluster a table by. */
    private static final Set<StandardSQLTypeName> CLUSTERABLE = EnumSet.of(
            StandardSQLTypeName.INT64,
            StandardSQLTypeName.STRING,
            StandardSQLTypeName.DATE,
            StandardSQLTypeName.DATETIME,
            StandardSQLTypeName.TIMESTAMP,
            StandardSQLTypeName.BOOL,
            StandardSQLTypeName.NUMERIC,
            StandardSQLTypeName.BIGNUMERIC);

    private static final int MAX_CLUSTER_COLUMNS = 4;

    private BigQueryDdl() {}

    /** The dataset, in {@code location}, unless it exists. */
    static String createDataset(String project, String dataset, String location) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(project) + "." + quote(dataset) + " OPTIONS (location = "
                + literal(location) + ")";
    }

    /** The staging dataset: its tables expire after a day, so that those of a batch that never merged go by themselves. */
    static String createStagingDataset(String project, String dataset, String location) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(project) + "." + quote(dataset) + " OPTIONS (location = "
                + literal(location) + ", default_table_expiration_days = 1, description = "
                + literal("elt-cdc staging tables: one per batch and part, dropped once merged") + ")";
    }

    /**
     * The target table: the batch's columns, then {@code _elt_op}, {@code _elt_position},
     * {@code _elt_synced_at} (and {@code _elt_deleted} for soft deletes); clustered by the key
     * (its first four columns, where BigQuery can cluster by their types), which keeps the merge's
     * join on the key cheap.
     */
    static String createTable(String table, List<Column> columns, List<String> key, DeleteMode deleteMode) {
        List<String> definitions = new ArrayList<>();
        for (Column column : columns) {
            definitions.add(columnDefinition(column));
        }
        definitions.add(quote(MetadataColumns.OP) + " " + BigQueryType.OP.sql());
        definitions.add(quote(MetadataColumns.POSITION) + " " + BigQueryType.POSITION.sql());
        definitions.add(quote(MetadataColumns.SYNCED_AT) + " " + BigQueryType.SYNCED_AT.sql());
        if (deleteMode == DeleteMode.SOFT) {
            definitions.add(quote(MetadataColumns.DELETED) + " " + BigQueryType.DELETED.sql());
        }
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(table)
                .append(" (")
                .append(String.join(", ", definitions))
                .append(")");
        List<String> cluster = clusterColumns(columns, key);
        if (!cluster.isEmpty()) {
            sql.append(" CLUSTER BY ").append(String.join(", ", cluster));
        }
        return sql.toString();
    }

    private static List<String> clusterColumns(List<Column> columns, List<String> key) {
        List<String> cluster = new ArrayList<>();
        for (String name : key.subList(0, Math.min(key.size(), MAX_CLUSTER_COLUMNS))) {
            Column column = columns.stream()
                    .filter(c -> c.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            if (!CLUSTERABLE.contains(BigQueryType.of(column).name())) {
                return List.of(); // clustering by a prefix of the key would not help the merge's join as much
            }
            cluster.add(quote(BigQueryNames.column(name)));
        }
        return cluster;
    }

    /** {@code `name` TYPE OPTIONS (description = '…')}. */
    static String columnDefinition(Column column) {
        return quote(BigQueryNames.column(column.name())) + " "
                + BigQueryType.of(column).sql() + " OPTIONS (description = " + literal(description(column)) + ")";
    }

    static String description(Column column) {
        String renamed = BigQueryNames.column(column.name()).equals(column.name())
                ? ""
                : "source column: " + column.name() + "; ";
        return renamed + "source type: " + column.sourceType() + "; elt-cdc type: " + column.typeText();
    }

    /** Adds {@code definitions} ({@code `name` TYPE …}) in one statement. */
    static String addColumns(String table, List<String> definitions) {
        List<String> adds =
                definitions.stream().map(d -> "ADD COLUMN IF NOT EXISTS " + d).toList();
        return "ALTER TABLE " + table + " " + String.join(", ", adds);
    }

    static String widenColumn(String table, String column, BigQueryType type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + type.sql();
    }

    /** {@code _elt_deleted} added to a table with rows: they were not deleted. */
    static String markRowsNotDeleted(String table) {
        return "UPDATE " + table + " SET " + quote(MetadataColumns.DELETED) + " = FALSE WHERE "
                + quote(MetadataColumns.DELETED) + " IS NULL";
    }

    /** The ledger table, {@code elt_cdc.loads}. */
    static String createLedger(String ledger) {
        return "CREATE TABLE IF NOT EXISTS " + ledger + " ("
                + "pipeline STRING NOT NULL, "
                + "table_name STRING NOT NULL, "
                + "batch_id STRING NOT NULL, "
                + "files INT64 NOT NULL OPTIONS (description = " + literal("staged files; elt-cdc type: INT32") + "), "
                + "rows_staged INT64 NOT NULL OPTIONS (description = " + literal("elt-cdc type: INT64") + "), "
                + "loaded_at TIMESTAMP NOT NULL) "
                + "CLUSTER BY pipeline, table_name, batch_id "
                + "OPTIONS (description = "
                + literal("elt-cdc: the batches loaded, one row each, written in the"
                        + " transaction that merged the batch")
                + ")";
    }
}
