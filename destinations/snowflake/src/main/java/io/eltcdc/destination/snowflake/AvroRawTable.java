package io.eltcdc.destination.snowflake;

import static io.eltcdc.model.SqlIdentifiers.quote;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The temporary table that COPY fills with the staged files of one schema version, and the
 * statement that moves its rows into the part's staging table.
 *
 * <p>COPY matches Avro fields to columns by name ({@code MATCH_BY_COLUMN_NAME = CASE_SENSITIVE}),
 * and Avro field names are the column names made Avro-safe ({@code Order Items} becomes
 * {@code Order_Items}), so this table's columns are named after the fields, one VARIANT each:
 * COPY then keeps every value exactly as the reader produced it, and the move into the staging
 * table converts it explicitly ({@link AvroVariantValues}) and renames it to the column's name.
 * Files of one schema version share their field names and order; files of another version (a
 * column added or dropped) get a table of their own. The raw table's columns are the load files'
 * field names as they are (COPY matches them case-sensitively); the staging table's are named as the
 * target's ({@link SnowflakeNames}).
 */
final class AvroRawTable {
    static final String RAW = "_elt_raw";

    private final SnowflakeSql dialect;
    private final TableSchema version;
    private final int number;
    /** Column name to Avro field name, for the version's columns. */
    private final Map<String, String> fieldOf = new HashMap<>();

    private final List<String> fields = new ArrayList<>();

    /**
     * @param version the schema the batch sees the files with (columns the source renamed under their new names)
     * @param written the schema the files were written with: their Avro field names
     * @param number tells apart the raw tables of one part
     */
    AvroRawTable(SnowflakeSql dialect, TableSchema version, TableSchema written, int number) {
        this.dialect = dialect;
        this.version = version;
        this.number = number;
        // The same function wrote the files' schemas: field names are a function of the columns.
        Schema avro = AvroSchemas.toAvro(written);
        int column = 0;
        for (Schema.Field field : avro.getFields()) {
            if (field.getProp("elt.column") != null) {
                // A rename keeps the columns' order: the version's column i is the file's column i.
                fieldOf.put(version.columns().get(column++).name(), field.name());
            }
            fields.add(field.name());
        }
    }

    /** {@code ELT_CDC."_elt_raw_<number>_<part>"}. */
    String name() {
        return dialect.tempTable(RAW + "_" + number);
    }

    TableSchema version() {
        return version;
    }

    String create() {
        List<String> columns = new ArrayList<>();
        for (String field : fields) {
            columns.add(quote(field) + " VARIANT");
        }
        return "CREATE OR REPLACE TEMPORARY TABLE " + name() + " (" + String.join(", ", columns) + ")";
    }

    /**
     * Moves the rows into {@code stageTable}, whose columns are the batch's columns, then
     * {@code _elt_op}, {@code _elt_position} and {@code _elt_unchanged}: NULL for a batch column
     * this version lacks, and the unchanged columns as the staging table holds them ({@code ,3,7,},
     * batch column indexes).
     */
    String insertInto(String stageTable, BatchColumns batch) {
        List<String> targets = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Column column : batch.columns()) {
            targets.add(dialect.quote(column.name()));
            String field = fieldOf.get(column.name());
            values.add(field == null ? "NULL" : AvroVariantValues.of(column, "r." + quote(field)));
        }
        targets.add(dialect.quote(MetadataColumns.OP));
        values.add(AvroVariantValues.op("r." + quote(AvroSchemas.OP_FIELD)));
        targets.add(dialect.quote(MetadataColumns.POSITION));
        values.add(AvroVariantValues.position("r." + quote(AvroSchemas.POSITION_FIELD)));
        targets.add(dialect.quote(MetadataColumns.UNCHANGED));
        values.add(unchanged(batch, "r." + quote(AvroSchemas.UNCHANGED_FIELD)));
        return "INSERT INTO " + stageTable + " (" + String.join(", ", targets) + ") SELECT " + String.join(", ", values)
                + " FROM " + name() + " AS r";
    }

    /**
     * The record's unchanged columns as text: the Avro field holds indexes among this version's
     * columns, the staging table batch column indexes. They are the same unless a column was
     * dropped or reordered between versions; then each index is translated.
     */
    private String unchanged(BatchColumns batch, String v) {
        List<Column> columns = version.columns();
        StringBuilder translate = new StringBuilder();
        boolean identity = true;
        for (int i = 0; i < columns.size(); i++) {
            int batchIndex = batch.columnNames().indexOf(columns.get(i).name());
            identity &= batchIndex == i;
            translate.append(", ").append(i).append(", ").append(batchIndex);
        }
        String indexes = identity ? v + "::ARRAY" : "TRANSFORM(" + v + "::ARRAY, i INT -> DECODE(i" + translate + "))";
        return "IFF(ARRAY_SIZE(" + v + ") > 0, ',' || ARRAY_TO_STRING(" + indexes + ", ',') || ',', NULL)";
    }
}
