package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.progress.PipelineMetrics;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestMySql;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB: gauge {@code binlogBehindBytes} measures the binlog after the position the pipeline
 * would resume from, so it follows the reader: 8 MB written after the pipeline's start position
 * (into a table it does not capture) fall behind it once the reader and a checkpoint pass them.
 */
class BinlogBehindTest {
    @TempDir
    Path tmp;

    @Test
    void theGaugeFollowsTheReadersCheckpointedPosition() throws Exception {
        String sourceUrl = TestMySql.createDatabase("logret_binlog");
        String destUrl = TestPostgres.createDatabase("logret_binlog_dst");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id bigint PRIMARY KEY, v varchar(20))");
            s.execute("INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')");
            s.execute("CREATE TABLE filler (id bigint AUTO_INCREMENT PRIMARY KEY, v longtext)");
        }
        JdbcUrl src = TestMySql.parts(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        Path pipeline = tmp.resolve("binlog.yaml");
        Files.writeString(
                pipeline,
                String.format(
                        """
                        pipeline: { name: logret-binlog, parallelism: 1, checkpoint-interval: 1s }
                        source: { type: mysql, host: %s, port: %d, database: %s, username: %s, password: "%s",
                                  tables: [%s.t], heartbeat-interval: 1s }
                        staging: { path: "file://%s", inactivity-interval: 1s }
                        destination: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                                       password: "%s", schema: copy }
                        """,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        src.database(),
                        tmp.resolve("staging"),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password()));

        Run run = Run.start(pipeline);
        try (Connection source = DriverManager.getConnection(sourceUrl);
                Connection dest = DriverManager.getConnection(destUrl)) {
            Await.until("the snapshot loaded and the binlog read", Run.RUN_ENDS, () -> {
                if (run.future().isDone()) {
                    throw new AssertionError("the run ended early: " + run.output());
                }
                return behind().isPresent() && rows(dest) == 5;
            });
            long total = binlogBytes(source);
            assertThat(behind().getAsLong())
                    .as("at most all the binlog there is")
                    .isBetween(0L, total);

            try (Statement s = source.createStatement()) {
                for (int i = 0; i < 8; i++) { // 8 MB of binlog after the pipeline's start
                    s.execute("INSERT INTO filler (v) SELECT REPEAT('x', 1048576)");
                }
            }
            assertThat(binlogBytes(source)).isGreaterThan(total + (8L << 20));
            Await.until(
                    "the gauge to show the reader past the 8 MB",
                    Duration.ofSeconds(90),
                    () -> behind().orElse(Long.MAX_VALUE) < (1L << 20));
            assertThat(run.future().isDone()).as(run.output()).isFalse();
        } finally {
            run.endIfRunning(destUrl); // the run streams until stopped: end it through its destination
        }
    }

    private static OptionalLong behind() {
        return PipelineMetrics.get().pipelineGauge("binlogBehindBytes");
    }

    private static long rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM copy.t")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // not created yet
        }
    }

    private static long binlogBytes(Connection c) throws SQLException {
        long bytes = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                bytes += rs.getLong(2);
            }
        }
        return bytes;
    }
}
