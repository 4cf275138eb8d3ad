package io.eltcdc.source.log;

import io.eltcdc.model.TableSchema;
import java.io.Serializable;

/**
 * Reads from the source the values of columns a change event left out and the destination has no
 * row to keep them from (PostgreSQL: unchanged TOASTed values of an update that changed the key).
 */
public interface UnloggedValueFetcher extends Serializable {

    /**
     * Fills {@code values[i]} for the given columns from the source row of key {@code key}; returns
     * the columns it could not fill.
     */
    int[] fill(TableSchema schema, Object[] key, Object[] values, int[] columns);
}
