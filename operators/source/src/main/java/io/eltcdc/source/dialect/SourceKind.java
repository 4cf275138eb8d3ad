package io.eltcdc.source.dialect;

/** The source databases whose change log the pipeline reads. */
public enum SourceKind {
    POSTGRES("schema"),
    MYSQL("db");

    private final String schemaField;

    SourceKind(String schemaField) {
        this.schemaField = schemaField;
    }

    /** The field of Debezium's {@code source} block that names the table's schema (MySQL: database). */
    public String schemaField() {
        return schemaField;
    }
}
