package io.eltcdc.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds the snapshot readers at a chosen key, so that a test acts mid-snapshot whatever the
 * machine's speed: a row-security policy makes the readers' reads of rows with {@code id} above the
 * gate wait on an advisory lock the test holds while the gate is shut. The enumerator's queries pass
 * (its connection has another application name), so chunks are still cut and the coordinator never
 * blocks.
 *
 * <ul>
 *   <li>Row security binds neither superusers nor, without {@code FORCE}, table owners: the gated
 *       user is an ordinary role ({@link #readerRole}), or the tables' owner when it must also create
 *       the pipeline's publication ({@link #ownerRole}; the policy is then forced).
 *   <li>The tests write as a superuser, whom the policy does not bind.
 *   <li>The lock is per database and held by the test's own connection: a server restart opens it.
 * </ul>
 */
public final class SnapshotGate {
    /** The advisory lock key of the gate. */
    private static final long LOCK = 4242;

    private static final String READER = "elt-cdc snapshot reader";

    private SnapshotGate() {}

    /** Makes {@code role} a login role (with the test server's password, if it has one). */
    public static void readerRole(Statement s, String role, String password) throws SQLException {
        s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "')"
                + " THEN CREATE ROLE " + role + " LOGIN; END IF; END $$");
        if (password != null && !password.isEmpty()) {
            s.execute("ALTER ROLE " + role + " PASSWORD '" + password.replace("'", "''") + "'");
        }
    }

    /**
     * Makes {@code role} a login role with {@code REPLICATION} that owns {@code tables}: it can
     * create the pipeline's slot and publication, and reads under the gate's forced policy.
     */
    public static void ownerRole(Statement s, String role, String... tables) throws SQLException {
        readerRole(s, role, null);
        s.execute("ALTER ROLE " + role + " REPLICATION");
        for (String table : tables) {
            s.execute("ALTER TABLE " + table + " OWNER TO " + role);
        }
    }

    /** Gates the snapshot readers' reads of {@code table}'s rows with {@code id > from}. */
    public static void install(Statement s, String table, long from, String role) throws SQLException {
        s.execute("CREATE OR REPLACE FUNCTION public.snapshot_gate(id bigint) RETURNS boolean LANGUAGE plpgsql AS"
                + " $$ BEGIN IF id > " + from + " AND current_setting('application_name') = '" + READER + "'"
                + " THEN PERFORM pg_advisory_xact_lock_shared(" + LOCK + "); END IF; RETURN true; END $$");
        s.execute("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY");
        s.execute("ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY");
        s.execute("CREATE POLICY snapshot_gate ON " + table + " FOR SELECT USING (public.snapshot_gate(id))");
        s.execute("GRANT SELECT ON " + table + " TO " + role);
    }

    /** Shuts the gate: readers of rows above it wait from now on. */
    public static void close(Connection gate) throws SQLException {
        try (Statement s = gate.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
        }
    }

    /** Opens the gate: the waiting reads return. */
    public static void open(Connection gate) throws SQLException {
        try (Statement s = gate.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
        }
    }

    /** The snapshot readers whose query waits on the shut gate. */
    public static long readersWaiting(Connection gate) throws SQLException {
        try (Statement s = gate.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = '" + READER + "'"
                        + " AND wait_event_type = 'Lock' AND wait_event = 'advisory'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
