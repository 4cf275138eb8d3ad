package io.eltcdc.source.cdc;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.snapshot.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the snapshot of a PostgreSQL source: makes the pipeline's publication name exactly the
 * captured tables, then creates its logical replication slot ({@code pgoutput}), which from then on
 * keeps every change for the continuous sync. Returns the slot's restart LSN.
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

    public PostgresSlotRecorder(String slotName, String publicationName) {
        this.slotName = slotName;
        this.publicationName = publicationName;
    }

    @Override
    public LogStart record(Connection connection, List<TableSchema> tables) throws SQLException {
        ensurePublication(connection, tables);
        Long restartLsn = PostgresSlots.restartLsn(connection, slotName);
        if (restartLsn == null) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')")) {
                ps.setString(1, slotName);
                ps.executeQuery().close();
            } catch (SQLException e) {
                throw new SQLException("could not create the replication slot '" + slotName + "': " + e.getMessage()
                        + ". The server needs wal_level=logical and a free slot (max_replication_slots), and the"
                        + " user the REPLICATION attribute", e.getSQLState(), e);
            }
            restartLsn = PostgresSlots.restartLsn(connection, slotName);
            LOG.info("Created replication slot {} (pgoutput)", slotName);
        } else {
            LOG.info("Replication slot {} exists already: the change log is replayed from its restart LSN {}",
                    slotName, LogPositions.lsnText(restartLsn));
        }
        if (restartLsn == null) {
            throw new SQLException("replication slot '" + slotName + "' vanished right after it was created");
        }
        return LogStart.postgres(restartLsn);
    }

    private void ensurePublication(Connection connection, List<TableSchema> tables) throws SQLException {
        if (tables.isEmpty()) {
            throw new SQLException("no table to capture: a publication needs at least one table");
        }
        String tableList = tables.stream().map(t -> SqlIdentifiers.quote(t.id())).collect(Collectors.joining(", "));
        boolean exists;
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publicationName);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        String sql = exists
                ? "ALTER PUBLICATION " + SqlIdentifiers.quote(publicationName) + " SET TABLE " + tableList
                : "CREATE PUBLICATION " + SqlIdentifiers.quote(publicationName) + " FOR TABLE " + tableList
                        + " WITH (publish_via_partition_root = true)";
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("could not " + (exists ? "update" : "create") + " the publication '"
                    + publicationName + "' for " + tables.size() + " table(s): " + e.getMessage()
                    + ". The user must own the tables (or be a superuser)", e.getSQLState(), e);
        }
        LOG.info("Publication {} {} for {}", publicationName, exists ? "updated" : "created",
                tables.stream().map(TableSchema::id).toList());
    }


    @Override
    public String toString() {
        return "PostgresSlotRecorder{slot=" + slotName + ", publication=" + publicationName + '}';
    }
}
