package io.eltcdc.destination.bigquery;

import static io.eltcdc.destination.bigquery.BigQueryNames.quote;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes target tables fit a batch: creates the dataset and the table where missing, adds the
 * batch's columns (and metadata columns) the table lacks, widens columns whose type the source
 * widened where BigQuery can ({@link BigQueryTypeChange}), and refuses any other type change
 * naming the table, the column and both types. Columns are never dropped. DDL runs as query jobs
 * outside the merge transaction (BigQuery runs no DDL on permanent tables inside one).
 */
final class TargetTables {
    private final BigQuery bigquery;
    private final BigQueryJobs jobs;
    private final String project;
    private final String location;
    private final DeleteMode deleteMode;
    /** Datasets known to exist: each is checked once per destination instance. */
    private final Set<String> datasets = new HashSet<>();

    TargetTables(BigQuery bigquery, BigQueryJobs jobs, String project, String location, DeleteMode deleteMode) {
        this.bigquery = bigquery;
        this.jobs = jobs;
        this.project = project;
        this.location = location;
        this.deleteMode = deleteMode;
    }

    /** Creates {@code dataset} unless it exists. */
    void ensureDataset(String dataset, boolean staging) throws Exception {
        if (datasets.contains(dataset)) {
            return;
        }
        if (jobs.call("reading dataset " + dataset, () -> bigquery.getDataset(DatasetId.of(project, dataset)))
                == null) {
            ddl(
                    staging
                            ? BigQueryDdl.createStagingDataset(project, dataset, location)
                            : BigQueryDdl.createDataset(project, dataset, location),
                    "creating dataset " + dataset);
        }
        datasets.add(dataset);
    }

    /**
     * Ensures table {@code table} of {@code dataset} fits {@code batch}.
     *
     * @return the names of all its columns afterwards, in table order
     */
    List<String> ensure(String dataset, String table, BatchColumns batch) throws Exception {
        return ensure(dataset, table, batch, deleteMode);
    }

    /**
     * Ensures table {@code table} of {@code dataset} fits {@code batch} loaded in {@code mode} (the
     * batch's delete mode: soft-delete mode needs {@code _elt_deleted}).
     *
     * @return the names of all its columns afterwards, in table order
     */
    List<String> ensure(String dataset, String table, BatchColumns batch, DeleteMode mode) throws Exception {
        checkDistinctNames(dataset + "." + table, batch.columns());
        TableId id = TableId.of(project, dataset, table);
        String sql = BigQueryNames.qualified(project, dataset, table);
        Table existing = read(id);
        if (existing == null) {
            ensureDataset(dataset, false);
            ddl(
                    BigQueryDdl.createTable(sql, batch.columns(), batch.key(), mode),
                    "creating table " + dataset + "." + table);
            existing = read(id);
            if (existing == null) {
                throw new IllegalStateException(
                        "table " + dataset + "." + table + " was created but cannot be read back");
            }
            return names(existing);
        }
        Map<String, Field> fields = fieldsByName(existing);
        List<String> additions = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (Column column : batch.columns()) {
            String name = BigQueryNames.column(column.name());
            Field field = fields.get(name.toLowerCase(Locale.ROOT));
            if (field == null) {
                additions.add(BigQueryDdl.columnDefinition(column));
                continue;
            }
            BigQueryType have = BigQueryType.of(field);
            BigQueryType want = BigQueryType.of(column);
            switch (BigQueryTypeChange.judge(have, want)) {
                case SAME -> {}
                case WIDEN -> statements.add(BigQueryDdl.widenColumn(sql, field.getName(), want));
                case INCOMPATIBLE ->
                    throw new IllegalStateException("column " + column.name() + " of " + dataset + "."
                            + table + " has type " + have.sql() + " in BigQuery, and the source now sends "
                            + column.sourceType()
                            + " (" + want.sql()
                            + "), which does not hold every value of the old type and which BigQuery"
                            + " cannot change the column to. Re-sync the table: drop the target table and start the"
                            + " pipeline over (delete its state dir)");
            }
        }
        addIfMissing(fields, additions, MetadataColumns.OP, BigQueryType.OP);
        addIfMissing(fields, additions, MetadataColumns.POSITION, BigQueryType.POSITION);
        addIfMissing(fields, additions, MetadataColumns.SYNCED_AT, BigQueryType.SYNCED_AT);
        boolean addsDeleted = mode == DeleteMode.SOFT
                && addIfMissing(fields, additions, MetadataColumns.DELETED, BigQueryType.DELETED);
        if (additions.isEmpty() && statements.isEmpty()) {
            return names(existing);
        }
        if (!additions.isEmpty()) {
            ddl(BigQueryDdl.addColumns(sql, additions), "adding columns to " + dataset + "." + table);
        }
        for (String statement : statements) {
            ddl(statement, "widening a column of " + dataset + "." + table);
        }
        if (addsDeleted) {
            ddl(BigQueryDdl.markRowsNotDeleted(sql), "marking the rows of " + dataset + "." + table + " not deleted");
        }
        return names(read(id));
    }

    /** The names of the columns of table {@code table} of {@code dataset}; empty when it does not exist. */
    List<String> columns(String dataset, String table) throws Exception {
        Table existing = read(TableId.of(project, dataset, table));
        return existing == null ? List.of() : names(existing);
    }

    private static boolean addIfMissing(
            Map<String, Field> fields, List<String> additions, String column, BigQueryType type) {
        if (fields.containsKey(column.toLowerCase(Locale.ROOT))) {
            return false;
        }
        additions.add(quote(column) + " " + type.sql());
        return true;
    }

    /** BigQuery column names ignore case, and names it cannot take are replaced: two source columns may meet. */
    private static void checkDistinctNames(String table, List<Column> columns) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Column column : columns) {
            String name = BigQueryNames.column(column.name());
            String other = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), column.name());
            if (other != null) {
                throw new IllegalArgumentException("columns '" + other + "' and '" + column.name() + "' of " + table
                        + " both become BigQuery column " + name + " (BigQuery column names ignore case and take no"
                        + " \" . / characters); rename one of them in the source or leave one out of the pipeline");
            }
        }
    }

    private static Map<String, Field> fieldsByName(Table table) {
        Map<String, Field> fields = new LinkedHashMap<>();
        Schema schema = table.getDefinition().getSchema();
        if (schema != null) {
            for (Field field : schema.getFields()) {
                fields.put(field.getName().toLowerCase(Locale.ROOT), field);
            }
        }
        return fields;
    }

    private static List<String> names(Table table) {
        return fieldsByName(table).values().stream().map(Field::getName).toList();
    }

    private Table read(TableId id) throws Exception {
        return jobs.call("reading table " + id.getDataset() + "." + id.getTable(), () -> bigquery.getTable(id));
    }

    private void ddl(String sql, String what) throws Exception {
        jobs.query(QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).build(), what);
    }
}
