package io.eltcdc.job.run;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.duckdb.DuckDbDestination;
import io.eltcdc.destination.postgres.PostgresDestination;
import io.eltcdc.destination.s3.S3Destination;
import io.eltcdc.job.config.DestinationSettings;
import io.eltcdc.job.config.StagingSettings;

/** Maps the {@code destination} section to the factory the load committer uses. */
final class Destinations {
    private Destinations() {}

    static DestinationFactory factory(DestinationSettings d, StagingSettings staging) {
        // Capture plain strings and enums only: the factory travels inside the job graph.
        String schema = d.schema();
        DeleteMode deleteMode = DeleteMode.of(d.deleteMode());
        if (d.warehouse() != null) {
            return d.warehouse().factory(schema, deleteMode, staging);
        }
        switch (d.type()) {
            case "duckdb": {
                String path = d.path();
                return () -> new DuckDbDestination(path, schema, deleteMode);
            }
            case "postgres": {
                String url = d.jdbcUrl();
                String user = d.username();
                String password = d.password() == null ? null : d.password().value();
                return () -> new PostgresDestination(url, user, password, schema, deleteMode);
            }
            case "s3": {
                String path = d.path(); // the format is avro, the only one the parser accepts
                return () -> new S3Destination(path);
            }
            default:
                throw new IllegalArgumentException("destination.type: unknown type '" + d.type() + "'");
        }
    }
}
