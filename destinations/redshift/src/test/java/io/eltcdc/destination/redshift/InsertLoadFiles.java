package io.eltcdc.destination.redshift;

import java.io.File;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Stands in for COPY on PostgreSQL: reads the load files (local) and inserts their records into
 * the raw table, field by field into the column of the same name, as {@code FORMAT AS AVRO 'auto'}
 * maps them.
 */
final class InsertLoadFiles implements RawTableLoader {

    @Override
    public void load(Connection c, String folder, int part, List<String> files) throws Exception {
        for (String file : files) {
            try (DataFileReader<GenericRecord> reader =
                    new DataFileReader<>(new File(URI.create(file)), new GenericDatumReader<>())) {
                List<Schema.Field> fields = reader.getSchema().getFields();
                String sql = "INSERT INTO " + RedshiftSql.RAW + " ("
                        + fields.stream().map(f -> "\"" + f.name() + "\"").collect(Collectors.joining(", "))
                        + ") VALUES (" + fields.stream().map(f -> "?").collect(Collectors.joining(", ")) + ")";
                try (PreparedStatement insert = c.prepareStatement(sql)) {
                    for (GenericRecord record : reader) {
                        for (int i = 0; i < fields.size(); i++) {
                            Object value = record.get(i);
                            insert.setObject(i + 1, value instanceof Utf8 ? value.toString() : value);
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        }
    }
}
