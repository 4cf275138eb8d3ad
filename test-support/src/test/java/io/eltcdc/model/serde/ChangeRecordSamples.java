package io.eltcdc.model.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.SampleRecords;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The records in the record serializer's fixtures: written into them once, and what reading them
 * must give. The fixtures hold them, so they never change (and do not follow {@code SampleRecords}).
 */
final class ChangeRecordSamples {
    private ChangeRecordSamples() {}

    /** A column of every {@link ColumnType}. */
    static final TableSchema TABLE = new TableSchema(
            new TableId("Some Schema", "all.types"),
            List.of(
                    new Column("id", ColumnType.INT64, 0, 0, false, "int8"),
                    new Column("c_int", ColumnType.INT32, 0, 0, true, "int4"),
                    new Column("c_float", ColumnType.FLOAT32, 0, 0, true, "float4"),
                    new Column("c_double", ColumnType.FLOAT64, 0, 0, true, "float8"),
                    new Column("c_bool", ColumnType.BOOLEAN, 0, 0, true, "bool"),
                    new Column("c_decimal", ColumnType.DECIMAL, 38, 10, true, "numeric(38,10)"),
                    new Column("c_decimal_text", ColumnType.DECIMAL_TEXT, 0, 0, true, "numeric"),
                    new Column("Odd \"Name\" ü", ColumnType.STRING, 0, 0, true, "text"),
                    new Column("c_date", ColumnType.DATE, 0, 0, true, "date"),
                    new Column("c_time", ColumnType.TIME, 0, 0, true, "time"),
                    new Column("c_ts", ColumnType.TIMESTAMP, 0, 0, true, "timestamp"),
                    new Column("c_tstz", ColumnType.TIMESTAMP_TZ, 0, 0, true, "timestamptz"),
                    new Column("c_uuid", ColumnType.UUID, 0, 0, true, "uuid"),
                    new Column("c_json", ColumnType.JSON, 0, 0, true, "jsonb"),
                    new Column("c_bytes", ColumnType.BYTES, 0, 0, true, "bytea")),
            List.of("id"));

    /** {@link #TABLE} after {@code c_int} was renamed from {@code old int} (one rename: a map of more has no fixed order). */
    static final TableSchema RENAMED =
            new TableSchema(TABLE.id(), TABLE.columns(), TABLE.keyColumns(), Map.of("c_int", "old int"));

    /** The columns PostgreSQL may leave out of an update (TOASTed): text, JSON, bytes. */
    static final int[] UNCHANGED = {7, 13, 14};

    /** The ordinary row of the destinations' samples, which has {@link #TABLE}'s columns in its order. */
    static Object[] ordinary() {
        return SampleRecords.allTypesRows().get(0);
    }

    static Object[] extremes() {
        return new Object[] {
            Long.MIN_VALUE,
            Integer.MAX_VALUE,
            Float.NaN,
            Double.NEGATIVE_INFINITY,
            false,
            new BigDecimal("-9999999999999999999999999999.9999999999"),
            "-1E+400",
            "",
            LocalDate.of(1, 1, 1),
            LocalTime.of(23, 59, 59, 999_999_000),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
            Instant.parse("1883-11-18T12:00:00.000001Z"),
            new UUID(-1L, 0L),
            "[]",
            new byte[0]
        };
    }

    static Object[] nullsBut(long id) {
        Object[] row = new Object[TABLE.columns().size()];
        row[0] = id;
        return row;
    }

    static Object[] ordinaryUnchanged() {
        Object[] row = ordinary();
        for (int column : UNCHANGED) {
            row[column] = null;
        }
        return row;
    }

    /** Records of format 1: no unchanged columns, no renames. */
    static List<ChangeRecord> format1() {
        return List.of(
                new ChangeRecord(TABLE, Op.INSERT, new Position(7, -3), ordinary()),
                new ChangeRecord(TABLE, Op.READ, Position.SNAPSHOT, extremes()),
                new ChangeRecord(TABLE, Op.DELETE, new Position(0x16B374D848L, 2), nullsBut(2)));
    }

    /** Records of format 2: format 1's, and an update with unchanged columns. */
    static List<ChangeRecord> format2() {
        List<ChangeRecord> records = new ArrayList<>(format1());
        records.add(new ChangeRecord(
                TABLE, Op.UPDATE, new Position(0x16B374D848L, 1), ordinaryUnchanged(), UNCHANGED.clone()));
        return records;
    }

    /** Records of format 3: format 2's, and an update of a schema with a renamed column. */
    static List<ChangeRecord> format3() {
        List<ChangeRecord> records = new ArrayList<>(format2());
        records.add(new ChangeRecord(RENAMED, Op.UPDATE, new Position(0x16B374D848L, 3), ordinary()));
        return records;
    }

    static List<ChangeRecord> ofFormat(int format) {
        return switch (format) {
            case 1 -> format1();
            case 2 -> format2();
            case 3 -> format3();
            default -> throw new IllegalArgumentException("no record format " + format);
        };
    }

    /** Every part of {@code actual} is {@code expected}'s (records have no equals of their own). */
    static void assertSameRecords(List<ChangeRecord> actual, List<ChangeRecord> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            ChangeRecord a = actual.get(i);
            ChangeRecord e = expected.get(i);
            assertThat(a.schema()).as("schema of record %d", i).isEqualTo(e.schema());
            assertThat(a.schema().renamedFrom())
                    .as("renames of record %d", i)
                    .isEqualTo(e.schema().renamedFrom());
            assertThat(a.schemaVersion()).as("schema version of record %d", i).isEqualTo(e.schemaVersion());
            assertThat(a.op()).as("op of record %d", i).isEqualTo(e.op());
            assertThat(a.position()).as("position of record %d", i).isEqualTo(e.position());
            assertThat(a.values()).as("values of record %d", i).isEqualTo(e.values());
            assertThat(a.unchangedColumns())
                    .as("unchanged columns of record %d", i)
                    .isEqualTo(e.unchangedColumns());
        }
    }
}
