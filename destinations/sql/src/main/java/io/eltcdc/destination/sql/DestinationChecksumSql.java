package io.eltcdc.destination.sql;

import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RowChecksumSql;

/**
 * {@code verify}'s row hash in a SQL destination: target columns named as the loader names them
 * ({@link ChecksumDialect#identifier}), values of the types the loader created
 * ({@link ChecksumDialect#columnType}). What standard SQL spells alike is here, over a few hooks the
 * warehouses spell their own way ({@link #asText}, {@link #log10}); each destination spells the rest.
 */
public abstract class DestinationChecksumSql extends RowChecksumSql {
    private final ChecksumDialect dialect;

    protected DestinationChecksumSql(ChecksumDialect dialect, JsonForm jsonForm) {
        super(jsonForm);
        this.dialect = dialect;
    }

    @Override
    protected String columnRef(String name) {
        return SqlIdentifiers.quote(dialect.identifier(name));
    }

    /**
     * {@code e} cast to text. Redshift's {@code VARCHAR} without a length is {@code VARCHAR(256)},
     * BigQuery's text type is {@code STRING}: they spell it their own way.
     */
    public String asText(String e) {
        return "CAST(" + e + " AS VARCHAR)";
    }

    @Override
    protected String integerText(String e) {
        return asText("CAST(" + e + " AS BIGINT)");
    }

    @Override
    protected String decimalText(String e, Column column) {
        return asText(e);
    }

    @Override
    protected String exactDecimalText(String e, Column column) {
        return asText(e);
    }

    @Override
    protected String stringText(String e, Column column) {
        return asText(e);
    }

    @Override
    protected String jsonText(String e, Column column, JsonForm form) {
        return asText(e);
    }

    @Override
    protected String uuidText(String e) {
        return "lower(" + asText(e) + ")";
    }

    @Override
    protected String epochDays(String e) {
        return "(" + e + " - DATE '1970-01-01')";
    }
}
