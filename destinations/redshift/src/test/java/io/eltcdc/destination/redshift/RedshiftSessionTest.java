package io.eltcdc.destination.redshift;

import static io.eltcdc.destination.redshift.ItemsOnPostgres.batch;
import static io.eltcdc.destination.redshift.ItemsOnPostgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Op;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session settings of the loader's connections ({@link RedshiftSession}) and the load's time
 * they make right, with the Redshift load on the local PostgreSQL (where {@code SYSDATE} is spelt
 * {@code LOCALTIMESTAMP}, which depends on the session's time zone the same way).
 */
class RedshiftSessionTest {
    @TempDir
    Path files;

    @TempDir
    Path loadFiles;

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = TestPostgres.createDatabase("load_redshift_session");
    }

    @Test
    void eachNewConnectionIsSetToUtcOnceBeforeItsFirstStatement() throws Exception {
        List<String> calls = new ArrayList<>();
        try (PostgresAsRedshift destination =
                destination(() -> InterceptedConnection.wrap(PostgresAsRedshift.spelled(url), calls::add))) {
            destination.createTables(List.of(ItemsOnPostgres.ITEMS));
            destination.load(batch(files, "b1", Row.of(Op.INSERT, 1, 1, "one")));
            destination.load(batch(files, "b2", Row.of(Op.INSERT, 2, 2, "two")));
            assertThat(calls.subList(0, 2)).containsExactly("setAutoCommit(true)", "SET timezone TO 'UTC'");
            assertThat(calls).filteredOn(call -> call.startsWith("SET ")).hasSize(1);

            destination.close(); // as when the provider replaces a broken connection
            calls.clear();
            destination.load(batch(files, "b3", Row.of(Op.INSERT, 3, 3, "three")));
            assertThat(calls.subList(0, 2)).containsExactly("setAutoCommit(true)", "SET timezone TO 'UTC'");
            assertThat(calls).filteredOn(call -> call.startsWith("SET ")).hasSize(1);
        }
    }

    @Test
    void syncedAtAndLoadedAtAreTheTransactionStartWhateverZoneTheUsersSessionsStartIn() throws Exception {
        // As for a user after ALTER USER … SET timezone TO 'Asia/Tokyo': sessions start 9 hours ahead of UTC.
        PostgresAsRedshift.Opener tokyo = () -> {
            Connection c = PostgresAsRedshift.spelled(url);
            try (Statement s = c.createStatement()) {
                s.execute("SET timezone TO 'Asia/Tokyo'");
            }
            return c;
        };
        Instant before = Instant.now();
        try (PostgresAsRedshift destination = destination(tokyo)) {
            destination.load(batch(files, "b1", Row.of(Op.INSERT, 1, 1, "one")));
        }
        Instant after = Instant.now();

        List<Object> times = query(
                        url, "SELECT i._elt_synced_at, l.loaded_at FROM shop.items AS i CROSS JOIN elt_cdc.loads AS l")
                .get(0);
        Instant syncedAt = ((Timestamp) times.get(0)).toInstant();
        // The server's clock is the test's (one machine); a second of slack for rounding.
        assertThat(syncedAt).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        assertThat(((Timestamp) times.get(1)).toInstant()).isEqualTo(syncedAt);
    }

    private PostgresAsRedshift destination(PostgresAsRedshift.Opener opener) {
        return new PostgresAsRedshift(
                opener, loadFiles.toUri().toString(), null, DeleteMode.HARD, LongStrings.FAIL, new ConflictRetry());
    }
}
