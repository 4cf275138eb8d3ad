package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlTestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.ChunkSplitReader;
import io.eltcdc.source.snapshot.ReaderConnections;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import io.eltcdc.testing.TestMySql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The split reader against MySQL / MariaDB: streamed chunks larger than a batch, a reader closed in
 * the middle of a chunk, the connection kept between chunks, and failures that name what failed.
 */
class MySqlChunkReaderTest {
    private static final String DB = "src_mysql_reader";
    private static String url;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestMySql.createDatabase(DB);
        exec(
                url,
                "CREATE TABLE items (id int PRIMARY KEY, v varchar(20))",
                "INSERT INTO items SELECT n, CONCAT('v', n) FROM " + MySqlTestSql.numbers(5000),
                // far more than the socket buffers hold: the server is still sending when a reader stops
                "CREATE TABLE big (id int PRIMARY KEY, pad varchar(250))",
                "INSERT INTO big SELECT n, REPEAT('x', 250) FROM " + MySqlTestSql.numbers(300000));
    }

    @Test
    void aChunkLargerThanABatchSpansFetches() throws Exception {
        SnapshotSourceConfig config = MySqlTestSql.config(url, 1000, DB + ".items");
        TableSchema schema = MySqlTestSql.schema(url, DB + ".items");
        ChunkSplit chunk = ChunkSplit.keyRange(schema, 0, false, new Object[] {0}, new Object[] {4500});
        try (ChunkSplitReader reader = new ChunkSplitReader(config)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(chunk)));
            assertThat(MySqlTestSql.drain(reader.fetch())).hasSize(ChunkSplitReader.MAX_ROWS_PER_FETCH);
            assertThat(MySqlTestSql.drain(reader.fetch())).hasSize(ChunkSplitReader.MAX_ROWS_PER_FETCH);
            var last = reader.fetch();
            assertThat(MySqlTestSql.drain(last)).hasSize(4500 - 2 * ChunkSplitReader.MAX_ROWS_PER_FETCH);
            assertThat(last.finishedSplits()).containsExactly(chunk.splitId());
        }
    }

    @Test
    void closingInTheMiddleOfAChunkEndsItsQueryPromptly() throws Exception {
        SnapshotSourceConfig config = MySqlTestSql.config(url, 1000, DB + ".big");
        TableSchema schema = MySqlTestSql.schema(url, DB + ".big");
        ChunkSplitReader reader = new ChunkSplitReader(config);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(ChunkSplit.keyRange(schema, 0, false, null, null))));
        assertThat(MySqlTestSql.drain(reader.fetch())).hasSize(ChunkSplitReader.MAX_ROWS_PER_FETCH);
        assertThat(readerConnections()).isEqualTo(1);

        long start = System.nanoTime();
        reader.close();
        // Closing the connection (or the streaming result set) instead would first read the ~75 MB
        // left, about half a second here; the abort takes milliseconds.
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to close").isLessThan(0.2);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (readerConnections() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(
                    50_000_000L); // poll interval; the deadline bounds the wait
        }
        assertThat(readerConnections())
                .as("reader connections left on the server")
                .isZero();
    }

    @Test
    void theSplitReadersOfOneReaderShareItsReadOnlyConnection() throws Exception {
        SnapshotSourceConfig config = MySqlTestSql.config(url, 1000, DB + ".items");
        TableSchema schema = MySqlTestSql.schema(url, DB + ".items");
        try (ReaderConnections connections = new ReaderConnections(config)) {
            for (int chunk = 0; chunk < 3; chunk++) {
                ChunkSplit split = ChunkSplit.keyRange(
                        schema, chunk, false, new Object[] {chunk * 1000}, new Object[] {chunk * 1000 + 1000});
                try (ChunkSplitReader reader = new ChunkSplitReader(config, connections)) {
                    reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
                    assertThat(MySqlTestSql.drain(reader.fetch())).hasSize(1000);
                    assertThat(readerConnections()).isEqualTo(1);
                }
            }
            // Another connection of this JVM to the database may still be ending on the server: wait
            // for it to go (bounded) before counting the kept one.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (readerConnections() > 1 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // the poll interval
            }
            assertThat(readerConnections()).as("kept between chunks").isEqualTo(1);

            Connection kept = connections.take();
            assertThat(kept.getAutoCommit()).isFalse();
            // read-only and REPEATABLE READ on the server, not just in the driver
            assertThat(sessionVariable(kept, "transaction_read_only", "tx_read_only"))
                    .isEqualTo("1");
            assertThat(sessionVariable(kept, "transaction_isolation", "tx_isolation"))
                    .isEqualTo("REPEATABLE-READ");
            kept.commit();
            connections.giveBack(kept);
        }
        assertThat(readerConnections()).as("closed with the reader").isZero();
    }

    @Test
    void aMissingTableFailsWithItsName() throws Exception {
        exec(url, "CREATE TABLE gone (id int PRIMARY KEY)");
        TableSchema schema = MySqlTestSql.schema(url, DB + ".gone");
        exec(url, "DROP TABLE gone");
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, DB + ".gone");
        assertThatThrownBy(() -> MySqlTestSql.readRows(config, ChunkSplit.keyRange(schema, 0, false, null, null)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(DB + ".gone")
                .hasMessageContaining("Check that the table still exists");
        assertThatThrownBy(() -> MySqlTestSql.allChunks(config, schema))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("`" + DB + "`.`gone` no longer exists");
    }

    @Test
    void anUnreachableServerIsReportedWithoutThePassword() {
        SnapshotSourceConfig config = SnapshotSourceConfig.builder()
                .jdbcUrl("jdbc:mysql://127.0.0.1:1/nowhere?connectTimeout=2000&password=inUrl")
                .username("someone")
                .password("s3cret-pass")
                .table("nowhere.t")
                .build();
        assertThatThrownBy(() -> SourceConnections.open(config, "test"))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("127.0.0.1:1/nowhere")
                .hasMessageContaining("Check the source host, port")
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("s3cret-pass").doesNotContain("inUrl"));
    }

    /** A session variable by its MySQL 8 name, or its older name (MySQL 5.7, MariaDB). */
    private static String sessionVariable(Connection c, String name, String oldName) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@session." + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException unknown) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@session." + oldName)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Connections open on this test's database, other than the one asking. */
    private static long readerConnections() throws SQLException {
        return MySqlTestSql.queryLong(
                url,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST" + " WHERE DB = ? AND ID <> CONNECTION_ID()",
                DB);
    }
}
