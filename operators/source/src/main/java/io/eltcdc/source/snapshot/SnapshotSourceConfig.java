package io.eltcdc.source.snapshot;

import io.eltcdc.config.Secret;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.model.Position;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.dialect.SourceKinds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the snapshot source reads and how: the source database, the tables (patterns), the chunk
 * size and the position its rows carry. Built with {@link #builder()}.
 *
 * <p>The password is a {@link Secret}, resolved only to open a connection, so the job carries what the
 * pipeline file wrote (a reference stays a reference): {@link #toString()} never shows it, and
 * neither does {@link #redactedUrl()} (passwords may also hide in the URL's query).
 */
public final class SnapshotSourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_CHUNK_SIZE = 100_000;

    private final String jdbcUrl;
    private final String username;
    private final Secret password;
    private final List<String> tablePatterns;
    private final int chunkSize;
    private final Map<String, List<String>> customKeys;
    private final Position startPosition;
    private final TlsSettings tls;
    private final TableSyncControl completionMarkers;

    private SnapshotSourceConfig(Builder b) {
        this.jdbcUrl = Objects.requireNonNull(b.jdbcUrl, "jdbcUrl");
        SourceKinds.forJdbcUrl(jdbcUrl); // throws for a URL of a database the source cannot read
        this.username = b.username;
        this.password = b.password;
        if (b.tablePatterns.isEmpty()) {
            throw new IllegalArgumentException(
                    "no tables to read: give at least one table pattern (schema.table or schema.*)");
        }
        this.tablePatterns = List.copyOf(b.tablePatterns);
        if (b.chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + b.chunkSize);
        }
        this.chunkSize = b.chunkSize;
        Map<String, List<String>> keys = new LinkedHashMap<>();
        b.customKeys.forEach((table, columns) -> keys.put(table, List.copyOf(columns)));
        this.customKeys = Collections.unmodifiableMap(keys);
        this.startPosition = Objects.requireNonNull(b.startPosition, "startPosition");
        this.tls = b.tls;
        this.completionMarkers = b.completionMarkers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code jdbc:postgresql://host:port/database}, possibly with query parameters. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The source database's dialect, from the URL: PostgreSQL ({@code jdbc:postgresql://}) or MySQL
     * and MariaDB ({@code jdbc:mysql://}). Not a field: dialects are stateless singletons.
     */
    public SourceDialect dialect() {
        return SourceKinds.forJdbcUrl(jdbcUrl).dialect();
    }

    /** The URL for messages: any {@code password=} parameter replaced by {@code ***}. */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    /** The user name, or null to take it from the URL. */
    public String username() {
        return username;
    }

    /**
     * The password, or null to take it from the URL (or none). Resolve it ({@link Secret#value()})
     * only to open a connection, and keep the text nowhere.
     */
    public Secret password() {
        return password;
    }

    /** {@code schema.table} (split at the first dot, case-sensitive) or {@code schema.*}. */
    public List<String> tablePatterns() {
        return tablePatterns;
    }

    /** Target rows per chunk. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Key columns for tables without a primary key, by {@code schema.table}. */
    public Map<String, List<String>> customKeys() {
        return customKeys;
    }

    /** The position every snapshot row carries. */
    public Position startPosition() {
        return startPosition;
    }

    /**
     * Where the enumerator marks the tables whose every row is read and checkpointed
     * ({@link TableSyncControl#snapshotComplete}): set when the change log is read beside the
     * snapshot, whose loads keep tombstones until then; null otherwise.
     */
    public TableSyncControl completionMarkers() {
        return completionMarkers;
    }

    /** {@code source.tls} for every connection, or null for the drivers' defaults. */
    public TlsSettings tls() {
        return tls;
    }

    /** Replaces the value of every {@code password=} URL parameter by {@code ***}. */
    public static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "SnapshotSourceConfig{url=" + redactedUrl()
                + ", user=" + username
                + ", password=" + (password == null ? "(none)" : "***")
                + ", tables=" + tablePatterns
                + ", chunkSize=" + chunkSize
                + ", customKeys=" + customKeys
                + ", startPosition=" + startPosition
                + (tls == null ? "" : ", " + tls)
                + (completionMarkers == null ? "" : ", completion markers in " + completionMarkers) + '}';
    }

    /** Builds a {@link SnapshotSourceConfig}; jdbcUrl and at least one table pattern are required. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private Secret password;
        private final List<String> tablePatterns = new ArrayList<>();
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private final Map<String, List<String>> customKeys = new LinkedHashMap<>();
        private Position startPosition = Position.SNAPSHOT;
        private TlsSettings tls;
        private TableSyncControl completionMarkers;

        private Builder() {}

        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** A literal password (tests, code); a pipeline's comes as a {@link Secret}. */
        public Builder password(String password) {
            this.password = password == null ? null : new Secret(password);
            return this;
        }

        public Builder password(Secret password) {
            this.password = password;
            return this;
        }

        public Builder tablePatterns(List<String> patterns) {
            this.tablePatterns.clear();
            this.tablePatterns.addAll(patterns);
            return this;
        }

        public Builder table(String pattern) {
            this.tablePatterns.add(pattern);
            return this;
        }

        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder customKeys(Map<String, List<String>> customKeys) {
            this.customKeys.clear();
            this.customKeys.putAll(customKeys);
            return this;
        }

        public Builder customKey(String table, List<String> keyColumns) {
            this.customKeys.put(table, keyColumns);
            return this;
        }

        public Builder startPosition(Position startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        /** See {@link SnapshotSourceConfig#completionMarkers()}. */
        public Builder completionMarkers(TableSyncControl completionMarkers) {
            this.completionMarkers = completionMarkers;
            return this;
        }

        public SnapshotSourceConfig build() {
            return new SnapshotSourceConfig(this);
        }
    }
}
