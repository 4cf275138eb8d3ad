package io.eltcdc.destination;

import java.sql.SQLException;

/**
 * The source changed a column's type in a way the destination cannot follow (the new type does
 * not hold every value of the old one). Only that table stops loading: the load committer skips
 * its later batches and keeps loading the others, until the table is re-synced.
 */
public final class SchemaChangeRefusedException extends SQLException {
    private static final long serialVersionUID = 1L;

    public SchemaChangeRefusedException(String message) {
        super(message);
    }
}
