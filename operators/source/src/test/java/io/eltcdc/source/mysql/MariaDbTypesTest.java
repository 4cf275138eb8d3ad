package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlTestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.ChunkingPlan.Strategy;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.testing.TestMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's own types (10.10+): {@code uuid} as UUID, {@code inet4} and {@code inet6} as their text;
 * a uuid key, which MariaDB orders by its own rule (not the text's), cut into chunks that read every
 * row once. Skipped on MySQL and older MariaDB.
 */
class MariaDbTypesTest {
    private static final String DB = "src_mariadb_types";
    private static String url;

    @BeforeAll
    static void createTables() throws SQLException {
        url = TestMySql.createDatabase(DB);
        assumeTrue(mariaDbAtLeast(10, 10), "MariaDB 10.10 or later");
        exec(
                url,
                "CREATE TABLE own_types (id int PRIMARY KEY, u uuid, i4 inet4, i6 inet6)",
                "INSERT INTO own_types VALUES (1, '123e4567-e89b-12d3-a456-426614174000', '192.168.0.1', '::1'),"
                        + " (2, NULL, NULL, NULL), (3, '00000000-0000-0000-0000-000000000000', '0.0.0.0', 'fe80::1:2')",
                "CREATE TABLE uuid_key (u uuid PRIMARY KEY, seq int)",
                // Version 1 uuids: MariaDB sorts them by their time fields, most significant first
                // (time_mid before time_low), so here by n, while their text sorts by n descending
                "INSERT INTO uuid_key SELECT CONCAT(LPAD(HEX(4000000000 - n * 7919), 8, '0'), '-', LPAD(HEX(n), 4, '0'),"
                        + " '-11ee-8000-', LPAD(HEX(n), 12, '0')), n FROM " + MySqlTestSql.numbers(450));
    }

    @Test
    void uuidAndInetColumnsAreReadAsUuidAndText() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, DB + ".own_types");
        assertThat(schema.columns())
                .extracting(c -> c.type())
                .containsExactly(ColumnType.INT32, ColumnType.UUID, ColumnType.STRING, ColumnType.STRING);
        List<Object[]> rows = new ArrayList<>();
        for (SnapshotRow row : MySqlTestSql.readRows(
                MySqlTestSql.config(url, 100, DB + ".own_types"), ChunkSplit.keyRange(schema, 0, false, null, null))) {
            rows.add(row.record().values());
        }
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0))
                .containsExactly(1, UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "192.168.0.1", "::1");
        assertThat(rows.get(1)).containsExactly(2, null, null, null);
        assertThat(rows.get(2)).containsExactly(3, new UUID(0, 0), "0.0.0.0", "fe80::1:2");
    }

    @Test
    void aUuidKeyIsCutInTheServersOrder() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, DB + ".uuid_key");
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, DB + ".uuid_key");
        try (Connection c = SourceConnections.open(config, "test")) {
            assertThat(new ChunkPlanner(100, MySqlPlannerQueries.INSTANCE)
                            .plan(c, schema)
                            .strategy())
                    .isEqualTo(Strategy.BOUNDARY);
        }
        List<Integer> seq = new ArrayList<>();
        List<ChunkSplit> chunks = MySqlTestSql.allChunks(config, schema);
        for (ChunkSplit chunk : chunks) {
            List<SnapshotRow> rows = MySqlTestSql.readRows(config, chunk);
            assertThat(rows.size()).isLessThanOrEqualTo(100);
            rows.forEach(r -> seq.add((Integer) r.record().value(1)));
        }
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(5);
        assertThat(seq)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 450).boxed().toList());
    }

    private static boolean mariaDbAtLeast(int major, int minor) throws SQLException {
        try (Connection c = TestMySql.connect(url)) {
            String version = c.getMetaData().getDatabaseProductVersion();
            if (!version.contains("MariaDB")) {
                return false;
            }
            String[] parts = version.replaceFirst("^5\\.5\\.5-", "").split("[.-]");
            int maj = Integer.parseInt(parts[0]);
            int min = Integer.parseInt(parts[1]);
            return maj > major || (maj == major && min >= minor);
        }
    }
}
