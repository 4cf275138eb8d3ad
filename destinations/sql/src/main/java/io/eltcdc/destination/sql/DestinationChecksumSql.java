package io.eltcdc.destination.sql;

import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RowChecksumSql;

/**
 * {@code verify}'s row hash in a SQL destination: target columns named as the loader names them
 * ({@link SqlDialect#identifier}), values of the types the loader created ({@link SqlDialect#columnType}).
 * What standard SQL spells alike is here; each destination spells the rest.
 */
public abstract class DestinationChecksumSql extends RowChecksumSql {
    private final SqlDialect dialect;

    protected DestinationChecksumSql(SqlDialect dialect, JsonForm jsonForm) {
        super(jsonForm);
        this.dialect = dialect;
    }

    @Override
    protected String columnRef(String name) {
        return SqlIdentifiers.quote(dialect.identifier(name));
    }

    @Override
    protected String integerText(String e) {
        return "CAST(CAST(" + e + " AS BIGINT) AS VARCHAR)";
    }

    @Override
    protected String decimalText(String e, Column column) {
        return "CAST(" + e + " AS VARCHAR)";
    }

    @Override
    protected String exactDecimalText(String e, Column column) {
        return "CAST(" + e + " AS VARCHAR)";
    }

    @Override
    protected String stringText(String e, Column column) {
        return "CAST(" + e + " AS VARCHAR)";
    }

    @Override
    protected String jsonText(String e, Column column, JsonForm form) {
        return "CAST(" + e + " AS VARCHAR)";
    }

    @Override
    protected String uuidText(String e) {
        return "lower(CAST(" + e + " AS VARCHAR))";
    }

    @Override
    protected String epochDays(String e) {
        return "(" + e + " - DATE '1970-01-01')";
    }
}
