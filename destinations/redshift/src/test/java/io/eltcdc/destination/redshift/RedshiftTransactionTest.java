package io.eltcdc.destination.redshift;

import static io.eltcdc.destination.redshift.ItemsOnPostgres.batch;
import static io.eltcdc.destination.redshift.ItemsOnPostgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Op;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load transaction's statements in order, and a transaction that Redshift cancels for a
 * conflict running again whole; the Redshift load on the local PostgreSQL, every call recorded as
 * the loader made it ({@link InterceptedConnection}).
 */
class RedshiftTransactionTest {
    @TempDir
    Path files;

    @TempDir
    Path loadFiles;

    private String url;
    private final List<String> calls = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void createDatabase() throws SQLException {
        url = TestPostgres.createDatabase("load_redshift_transaction");
    }

    @Test
    void theLedgerIsLockedFirstInTheTransactionThenReadThenWrittenLast() throws Exception {
        try (PostgresAsRedshift destination = destination(call -> {})) {
            destination.createTables(List.of(ItemsOnPostgres.ITEMS));
            calls.clear();
            destination.load(batch(files, "b1", Row.of(Op.INSERT, 1, 1, "one")));
        }
        List<String> transaction = calls.subList(calls.indexOf("setAutoCommit(false)"), calls.size());
        assertThat(transaction).hasSize(17);
        List<String> expectedStarts = List.of(
                "setAutoCommit(false)",
                "LOCK \"elt_cdc\".\"loads\"",
                "SELECT 1 FROM \"elt_cdc\".\"loads\" WHERE pipeline = ? AND table_name = ? AND batch_id = ?",
                "CREATE TEMP TABLE \"_elt_raw\"",
                "INSERT INTO \"_elt_raw\"", // COPY's stand-in
                "CREATE TEMP TABLE \"_elt_stage\"",
                "INSERT INTO \"_elt_stage\"",
                "DELETE FROM \"shop\".\"items\" USING \"_elt_stage\"",
                "INSERT INTO \"shop\".\"items\"",
                "DROP TABLE IF EXISTS \"_elt_raw\"",
                "DROP TABLE IF EXISTS \"_elt_stage\"",
                "DROP TABLE IF EXISTS \"_elt_winners\"",
                "DROP TABLE IF EXISTS \"_elt_resolved\"",
                "DROP TABLE IF EXISTS \"_elt_kept\"",
                "INSERT INTO \"elt_cdc\".\"loads\"",
                "commit()",
                "setAutoCommit(true)");
        for (int i = 0; i < expectedStarts.size(); i++) {
            assertThat(transaction.get(i)).as("call %d of the transaction", i).startsWith(expectedStarts.get(i));
        }
    }

    @Test
    void aTransactionCancelledForAConflictRunsAgainWhole() throws Exception {
        LoadResult result;
        try (PostgresAsRedshift destination = destination(call -> {
            if (call.equals("commit()")
                    && calls.stream().filter("commit()"::equals).count() == 1) {
                throw ConflictRetryTest.serializableIsolationViolation(); // Redshift refuses the first commit
            }
        })) {
            result = destination.load(batch(files, "b1", Row.of(Op.INSERT, 1, 1, "one")));
        }
        assertThat(result).isEqualTo(new LoadResult(1, 1, false));
        assertThat(pauses).containsExactly(ConflictRetry.FIRST_PAUSE);
        assertThat(calls).filteredOn(call -> call.startsWith("LOCK ")).hasSize(2);
        List<String> afterTheConflict = calls.subList(calls.indexOf("commit()"), calls.lastIndexOf("commit()"));
        assertThat(afterTheConflict.subList(0, 5))
                .containsExactly(
                        "commit()",
                        "rollback()",
                        "setAutoCommit(true)",
                        "setAutoCommit(false)",
                        "LOCK \"elt_cdc\".\"loads\"");
        assertThat(query(url, "SELECT id, name FROM shop.items")).containsExactly(List.of(1, "one"));
        assertThat(query(url, "SELECT batch_id FROM elt_cdc.loads")).containsExactly(List.of("b1"));
    }

    /** The Redshift load over a connection whose calls are recorded in {@link #calls}, then shown to {@code listener}. */
    private PostgresAsRedshift destination(InterceptedConnection.Listener listener) {
        return new PostgresAsRedshift(
                () -> InterceptedConnection.wrap(PostgresAsRedshift.spelled(url), call -> {
                    calls.add(call);
                    listener.before(call);
                }),
                loadFiles.toUri().toString(),
                null,
                DeleteMode.HARD,
                LongStrings.FAIL,
                new ConflictRetry(pauses::add));
    }
}
