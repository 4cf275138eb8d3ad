package io.eltcdc.destination.postgres;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DestinationConfig;
import io.eltcdc.destination.DestinationProvider;
import io.eltcdc.destination.DestinationSection;
import io.eltcdc.destination.StagingLocation;
import java.util.List;

/** {@code type: postgres}: a PostgreSQL database. */
public final class PostgresDestinationProvider implements DestinationProvider {

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public List<String> keys() {
        return List.of("host", "port", "database", "username", "password", "schema", "delete-mode", "tls");
    }

    @Override
    public boolean canReplaceTables() {
        return true;
    }

    @Override
    public DestinationConfig parse(ConfigNode section, StagingLocation staging) throws ConfigException {
        DestinationSection.required(section, "host", this, "the server's host name");
        String host = PostgresAddress.requiredHost(section, "host");
        int port = section.optionalInt("port", PostgresAddress.DEFAULT_PORT, 1, 65535);
        String database = DestinationSection.required(section, "database", this, "the database name");
        String username = DestinationSection.required(section, "username", this, "the user name");
        return new PostgresConfig(
                host,
                port,
                database,
                username,
                section.optionalSecret("password"),
                DestinationSection.schema(section),
                DestinationSection.deleteMode(section),
                TlsSettings.parse(section, "tls"));
    }
}
