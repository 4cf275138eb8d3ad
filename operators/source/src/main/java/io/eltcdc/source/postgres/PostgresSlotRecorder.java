package io.eltcdc.source.postgres;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.log.LogPositions;
import io.eltcdc.source.log.LogStart;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the snapshot of a PostgreSQL source: makes the pipeline's publication name exactly the
 * captured tables (or, to capture tables created later, whole schemas: {@link PostgresPublication}),
 * then creates its logical replication slot ({@code pgoutput}), which from then on keeps every
 * change for the continuous sync. Returns the slot's restart LSN.
 *
 * <p>Publication first: a slot decodes a change with the publication as it stands at that change,
 * so tables must be in it before changes are to be kept. A slot that exists already (an earlier
 * attempt stopped before its first checkpoint) is reused from its restart LSN: changes since then
 * are replayed, which the merge by position makes harmless.
 *
 * <p>The snapshot does not read inside the slot's exported snapshot: chunk readers read the tables
 * as they are, and replaying the slot from its restart LSN on top converges (see {@link LogPositions}).
 */
public final class PostgresSlotRecorder implements LogStartRecorder {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSlotRecorder.class);

    private final String slotName;
    private final String publicationName;
    /** Null: the publication lists the captured tables; else the schemas it publishes whole. */
    private final List<String> wholeSchemas;

    /** A publication of exactly the captured tables. */
    public PostgresSlotRecorder(String slotName, String publicationName) {
        this(slotName, publicationName, null);
    }

    /**
     * @param wholeSchemas null to publish exactly the captured tables; else the schemas whose tables,
     *     also those created later, are published ({@code source.capture-new-tables}, PostgreSQL 15+)
     */
    public PostgresSlotRecorder(String slotName, String publicationName, List<String> wholeSchemas) {
        this.slotName = slotName;
        this.publicationName = publicationName;
        this.wholeSchemas = wholeSchemas == null ? null : List.copyOf(wholeSchemas);
    }

    @Override
    public LogStart record(Connection connection, List<TableSchema> tables) throws SQLException {
        PostgresPublication publication = new PostgresPublication(publicationName);
        if (wholeSchemas == null) {
            publication.publishTables(
                    connection, tables.stream().map(TableSchema::id).toList());
        } else {
            publication.publishSchemas(connection, wholeSchemas);
        }
        Long restartLsn = PostgresSlots.restartLsn(connection, slotName);
        if (restartLsn == null) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
                ps.setString(1, slotName);
                ps.executeQuery().close();
            } catch (SQLException e) {
                throw new SQLException(
                        "could not create the replication slot '" + slotName + "': " + e.getMessage()
                                + ". The server needs wal_level=logical and a free slot (max_replication_slots), and the"
                                + " user the REPLICATION attribute",
                        e.getSQLState(),
                        e);
            }
            restartLsn = PostgresSlots.restartLsn(connection, slotName);
            LOG.info("Created replication slot {} (pgoutput)", slotName);
        } else {
            LOG.info(
                    "Replication slot {} exists already: the change log is replayed from its restart LSN {}",
                    slotName,
                    LogPositions.lsnText(restartLsn));
        }
        if (restartLsn == null) {
            throw new SQLException("replication slot '" + slotName + "' vanished right after it was created");
        }
        return LogStart.postgres(restartLsn);
    }

    @Override
    public String toString() {
        return "PostgresSlotRecorder{slot=" + slotName + ", publication=" + publicationName
                + (wholeSchemas == null ? "" : " of schemas " + wholeSchemas) + '}';
    }
}
