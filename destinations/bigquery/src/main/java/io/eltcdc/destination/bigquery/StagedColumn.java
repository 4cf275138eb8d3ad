package io.eltcdc.destination.bigquery;

import io.eltcdc.model.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * A column of a batch as the merge sees it: its field in the staging table (the Avro field name),
 * its column in the target table (the BigQuery name of the source column), its pipeline type, and
 * whether it is part of the key.
 *
 * @param index the column's index in the staged layout: what {@code _elt_unchanged} holds
 */
record StagedColumn(int index, String staged, String target, Column column, boolean key) {

    /** The columns of {@code part}, in staged order. */
    static List<StagedColumn> of(BatchPart part) {
        List<StagedColumn> columns = new ArrayList<>();
        List<Column> batch = part.columns().columns();
        for (int i = 0; i < batch.size(); i++) {
            Column column = batch.get(i);
            columns.add(new StagedColumn(
                    i,
                    part.stagedField(column.name()),
                    BigQueryNames.column(column.name()),
                    column,
                    part.columns().key().contains(column.name())));
        }
        return columns;
    }

    /** The target value of the staged expression {@code staged} ({@link StagedLayout#targetValue}). */
    String value(String staged) {
        return StagedLayout.targetValue(column, staged);
    }
}
