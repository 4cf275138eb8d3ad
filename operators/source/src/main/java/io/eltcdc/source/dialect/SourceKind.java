package io.eltcdc.source.dialect;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Position;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.ChangeRecordDeserializer;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.log.UnloggedValueFetcher;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * A source database the pipeline reads, with what differs between the databases in one object
 * instead of branches on the database in the callers: the snapshot's dialect, where the change log
 * starts and how it is read, what is checked before, and what the pipeline keeps on the server.
 *
 * <p>One implementation per database, in that database's package; {@link SourceKinds} is the only
 * place that lists them. Implementations are enum singletons: a kind travels in the job graph
 * (inside {@link CdcSourceConfig}) and is the same object after Java serialization.
 */
public interface SourceKind extends Serializable {

    /** Opens a connection to the source server, for the few questions asked outside the job. */
    @FunctionalInterface
    interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    /** The database's name, for messages: {@code PostgreSQL}, {@code MySQL}. */
    default String displayName() {
        return dialect().name();
    }

    /** How the database's JDBC URLs start: {@code jdbc:postgresql://}. */
    String urlPrefix();

    /** How the snapshot source connects, finds the tables and reads their chunks. */
    SourceDialect dialect();

    // --- change log ----------------------------------------------------------------------------

    /**
     * What makes sure the log from before the snapshot on is kept and says where it stands,
     * called by the snapshot enumerator before its first chunk.
     */
    LogStartRecorder logStartRecorder(CdcSourceConfig config);

    /**
     * Flink CDC's change-log source of this database, streaming only (the snapshot is ours) from
     * {@code start}; with a null {@code start} it restores its offsets from the checkpoint.
     */
    Source<ChangeRecord, ?, ?> logSource(CdcSourceConfig config, LogStart start, ChangeRecordDeserializer deserializer);

    /**
     * Fails with {@link io.eltcdc.source.log.LogSourceFactory.LogGoneException} when the log the
     * pipeline must continue from is gone (a dropped slot, a purged binlog).
     *
     * @param start where the snapshot recorded the log stood; null when restored after the switch
     */
    void checkLogStillThere(Connection connection, CdcSourceConfig config, LogStart start) throws SQLException;

    /**
     * What was lost, and the re-sync it needs, when the change-log reader's {@code failure} means
     * the log the pipeline must continue from is gone (its slot dropped or invalidated, its binlog
     * purged); empty for every other failure, which a restart may cure.
     */
    Optional<String> lostLog(Throwable failure, CdcSourceConfig config);

    /**
     * Drops what the server keeps for the pipeline's change log (PostgreSQL: its replication slot
     * and publication), so that the server frees the log: {@code source.on-log-retention-limit:
     * drop-slot}. Whether something was dropped; false where the server keeps nothing for it.
     */
    default boolean dropLog(Connection connection, CdcSourceConfig config) throws SQLException {
        return false;
    }

    /**
     * How many bytes of log the server has written after {@code offset} (a log split's offset, as
     * Debezium keeps it), or -1 where the database does not say (PostgreSQL: its slot's WAL is
     * measured from the slot instead).
     */
    default long logBehindBytes(Connection connection, Map<String, ?> offset) throws SQLException {
        return -1;
    }

    /** The field of Debezium's {@code source} block that names the table's schema (MySQL: database). */
    String schemaField();

    /** The position of a change event, from Debezium's {@code source} block ({@code LogPositions}). */
    Position changePosition(Struct source);

    /**
     * What reads the values a change event left out and the destination cannot keep (PostgreSQL:
     * unchanged TOASTed values of an update that changed the key); null when events carry whole
     * rows.
     */
    UnloggedValueFetcher unloggedValueFetcher(CdcSourceConfig config);

    /** The database's own change-log settings of {@code config}, for its description. */
    String describeLogSettings(CdcSourceConfig config);

    // --- settings that follow from the server ----------------------------------------------------

    /** The replica server id (range) of the log reader; null where the database has none. */
    String serverIdRange(String configured, String pipeline, int parallelism);

    /**
     * The time zone the log reader reads TIMESTAMP values in: {@code configured}, or else what the
     * server says.
     *
     * @param server {@code host:port}, for messages
     */
    String serverTimeZone(String configured, ConnectionOpener opener, String server);

    // --- before the start, and after the pipeline --------------------------------------------------

    /**
     * Checks that the server keeps a log the pipeline can read, with a message for the user when
     * not.
     *
     * @param captureNewTables whether tables created later are captured ({@code source.capture-new-tables})
     */
    void checkChangeLog(Connection connection, boolean captureNewTables) throws SQLException;

    /** Added to the message of a failed {@link #checkChangeLog}: what else the user can do, or "". */
    String changeLogCheckHint();

    /**
     * Removes what the pipeline keeps on the server for its change log, and says what it did, for
     * the user.
     */
    String dropReplication(String pipeline, ConnectionOpener opener) throws SQLException;

    /**
     * Whether the pipeline's change-log reader may be streaming now, so that {@code verify} gives a
     * range that differs time to settle (a change in flight). True where the database cannot tell.
     */
    default boolean mayBeStreaming(String pipeline, ConnectionOpener opener) throws SQLException {
        return true;
    }
}
