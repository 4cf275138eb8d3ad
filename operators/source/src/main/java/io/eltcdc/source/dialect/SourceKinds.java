package io.eltcdc.source.dialect;

import io.eltcdc.source.mysql.MySqlSourceKind;
import io.eltcdc.source.postgres.PostgresSourceKind;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import java.util.List;

/** The databases the pipeline can read: the one place that names them all. */
public final class SourceKinds {
    private static final List<SourceKind> ALL = List.of(PostgresSourceKind.INSTANCE, MySqlSourceKind.INSTANCE);

    private SourceKinds() {}

    /**
     * The kind of a source JDBC URL.
     *
     * @throws IllegalArgumentException for a URL of a database the pipeline cannot read
     */
    public static SourceKind forJdbcUrl(String jdbcUrl) {
        for (SourceKind kind : ALL) {
            if (jdbcUrl.startsWith(kind.urlPrefix())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("source JDBC URL must start with " + PostgresSourceKind.INSTANCE.urlPrefix()
                + " (PostgreSQL) or " + MySqlSourceKind.INSTANCE.urlPrefix() + " (MySQL, MariaDB), got "
                + SnapshotSourceConfig.redact(jdbcUrl));
    }
}
