package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlTestSql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import io.eltcdc.testing.TestMySql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values read from MySQL / MariaDB, row by row and column by column: equal to what the server
 * holds ({@link MySqlReference}, and the written-out rows of {@link MySqlAllTypes}), of the column
 * type's Java class, whatever the JVM's, the server's or the URL's time zone.
 */
class MySqlValuesTest {
    private static final int GENERATED_ROWS = 255;

    private static String url;
    private static TimeZone jvmZone;

    @BeforeAll
    static void createTables() throws SQLException {
        // A JVM zone far from UTC, with a half-hour offset and DST: any value read through the JVM's
        // zone (instead of the session's UTC) would come out shifted.
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
        url = TestMySql.createDatabase("src_mysql_values");
        MySqlAllTypes.create(url, GENERATED_ROWS);
        exec(
                url,
                "SET SESSION sql_mode = ''",
                "CREATE TABLE bad_time (id int PRIMARY KEY, t time(6))",
                "INSERT INTO bad_time VALUES (1, '10:00:00'), (2, '-00:00:00.5')",
                "CREATE TABLE long_time (id int PRIMARY KEY, t time)",
                "INSERT INTO long_time VALUES (1, '838:59:59')",
                "CREATE TABLE zero_key (d date NOT NULL PRIMARY KEY, v int)",
                "INSERT INTO zero_key VALUES ('0000-00-00', 1), ('2024-01-01', 2)",
                "CREATE TABLE zero_dates (id int PRIMARY KEY, d date, dt datetime)",
                "INSERT INTO zero_dates VALUES (1, '0000-00-00', '0000-00-00 00:00:00'), (2, '0000-00-00', NULL),"
                        + " (3, '2024-01-00', '2024-00-01 10:00:00'), (4, '2024-01-02', '2024-01-02 03:04:05')");
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(jvmZone);
    }

    @Test
    void everyTypeIsReadExactlyAsTheServerHoldsIt() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, "src_mysql_values.all_types");
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, "src_mysql_values.all_types");
        List<ChangeRecord> records = readWholeTable(config, schema);

        Map<Integer, Object[]> byId = new HashMap<>();
        for (ChangeRecord r : records) {
            assertThat(r.op()).isEqualTo(Op.READ);
            assertThat(byId.put((Integer) r.value(0), r.values()))
                    .as("row %s read once", r.value(0))
                    .isNull();
        }
        assertThat(byId).hasSize(5 + GENERATED_ROWS);

        for (int id = 1; id <= 5; id++) {
            assertRow(schema, id, MySqlAllTypes.expectedRow(id), byId.get(id));
        }
        List<Object[]> reference = MySqlReference.rows(url, schema);
        assertThat(reference).hasSize(byId.size());
        for (Object[] expected : reference) {
            int id = (Integer) expected[0];
            assertRow(schema, id, expected, byId.get(id));
            if (id <= 5) {
                // the reference agrees with the written-out rows: it is a reference
                assertThat(MySqlReference.comparable(expected))
                        .as("reference row %s", id)
                        .isEqualTo(MySqlReference.comparable(MySqlAllTypes.expectedRow(id)));
            }
        }
    }

    @Test
    void timesAreNotShiftedByTheUrlsTimeZoneSettingsEither() throws Exception {
        // the session's and driver's zone settings a user might put in the URL: the source's own win
        String zonedUrl = url + (url.contains("?") ? "&" : "?") + "connectionTimeZone=Asia/Tokyo"
                + "&forceConnectionTimeZoneToSession=false&preserveInstants=false"
                + "&sessionVariables=time_zone='-07:00'&zeroDateTimeBehavior=EXCEPTION";
        SnapshotSourceConfig config = MySqlTestSql.config(zonedUrl, 100, "src_mysql_values.all_types");
        TableSchema schema = MySqlTestSql.schema(url, "src_mysql_values.all_types");
        try (Connection c = SourceConnections.open(config, "test");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@session.time_zone")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("+00:00");
        }
        Map<Integer, Object[]> byId = new HashMap<>();
        readWholeTable(config, schema).forEach(r -> byId.put((Integer) r.value(0), r.values()));
        for (int id = 1; id <= 5; id++) {
            assertRow(schema, id, MySqlAllTypes.expectedRow(id), byId.get(id));
        }
    }

    @Test
    void zeroDatesAreNullWithOneWarningPerColumn() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, "src_mysql_values.zero_dates");
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, "src_mysql_values.zero_dates");
        List<ChangeRecord> records;
        List<String> warnings;
        try (LogCapture log = new LogCapture(MySqlColumnReaders.class)) {
            records = readWholeTable(config, schema);
            readWholeTable(config, schema); // again: no more warnings
            warnings = log.messages();
        }
        Map<Integer, Object[]> byId = new HashMap<>();
        records.forEach(r -> byId.put((Integer) r.value(0), r.values()));
        assertThat(byId.get(1)).containsExactly(1, null, null);
        assertThat(byId.get(2)).containsExactly(2, null, null);
        assertThat(byId.get(3)).containsExactly(3, null, null);
        assertThat(byId.get(4))
                .containsExactly(
                        4, java.time.LocalDate.of(2024, 1, 2), java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5));
        assertThat(warnings).hasSize(2);
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w)
                        .startsWith("WARN")
                        .contains("src_mysql_values.zero_dates")
                        .contains("column d ")
                        .contains("0000-00-00")
                        .contains("NULL"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("column dt "));
    }

    @Test
    void aTimeThatIsNoTimeOfDayStopsTheSnapshotNamingTableColumnAndValue() throws Exception {
        for (String table : List.of("bad_time", "long_time")) {
            TableSchema schema = MySqlTestSql.schema(url, "src_mysql_values." + table);
            SnapshotSourceConfig config = MySqlTestSql.config(url, 100, "src_mysql_values." + table);
            assertThatThrownBy(() -> readWholeTable(config, schema))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("`src_mysql_values`.`" + table + "` column `t`")
                    .hasMessageContaining(table.equals("bad_time") ? "'-00:00:00.500000'" : "'838:59:59'")
                    .hasMessageContaining("not a time of day");
        }
    }

    @Test
    void aZeroDateInAKeyStopsTheSnapshot() throws Exception {
        TableSchema schema = MySqlTestSql.schema(url, "src_mysql_values.zero_key");
        SnapshotSourceConfig config = MySqlTestSql.config(url, 100, "src_mysql_values.zero_key");
        assertThatThrownBy(() -> MySqlTestSql.allChunks(config, schema))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("`src_mysql_values`.`zero_key` key column `d`")
                .hasMessageContaining("zero date");
    }

    private static List<ChangeRecord> readWholeTable(SnapshotSourceConfig config, TableSchema schema) throws Exception {
        ChunkSplit whole = ChunkSplit.keyRange(schema, 0, false, null, null).withPosition(new Position(3, 4));
        List<ChangeRecord> records = MySqlTestSql.readRows(config, whole).stream()
                .map(SnapshotRow::record)
                .toList();
        assertThat(records).allSatisfy(r -> assertThat(r.position()).isEqualTo(new Position(3, 4)));
        return records;
    }

    private static void assertRow(TableSchema schema, int id, Object[] expected, Object[] actual) {
        assertThat(actual).as("row %s", id).isNotNull();
        for (int col = 0; col < expected.length; col++) {
            Column column = schema.columns().get(col);
            String what = "row " + id + " column " + column.name() + " (" + column.sourceType() + ")";
            if (expected[col] == null) {
                assertThat(actual[col]).as(what).isNull();
                continue;
            }
            assertThat(actual[col]).as(what).isNotNull();
            assertThat(actual[col].getClass()).as(what).isEqualTo(column.type().javaClass());
            if (actual[col] instanceof byte[] bytes) {
                assertThat(bytes).as(what).isEqualTo((byte[]) expected[col]);
            } else {
                assertThat(actual[col]).as(what).isEqualTo(expected[col]);
            }
        }
    }
}
