package io.eltcdc.destination.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.AvroSchemas;
import io.eltcdc.model.AvroValues;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.KeyRange;
import java.io.File;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Destination#load}, run against each destination by a subclass: values
 * load exactly, batches load once, merges keep the record with the highest position, tables change
 * with the source, deletes are hard or soft, and values a record did not send are kept. Its parts
 * ({@link LoadContract}, {@link TableChangeContract}, {@link SoftDeleteContract}, {@link TombstoneContract}, and here the
 * values a record did not send) build on one another, so a destination subclasses this class once.
 */
public abstract class DestinationContractTest extends TombstoneContract {
    private static final TableSchema DOCS = new TableSchema(
            new TableId("shop", "docs"),
            List.of(
                    new Column("id", ColumnType.INT64, 0, 0, false, "int8"),
                    Column.of("title", ColumnType.STRING),
                    Column.of("body", ColumnType.STRING),
                    Column.of("meta", ColumnType.JSON),
                    Column.of("blob", ColumnType.BYTES),
                    Column.decimal("amount", 10, 2)),
            List.of("id"));
    private static final int BODY = 2;
    private static final int META = 3;
    private static final int BLOB = 4;

    /**
     * Verify's questions ({@link Destination#checksums}): the target's rows of every type hash as the
     * source hashes them (computed in Java here), whole table and key range, a deleted row no longer
     * counted. Destinations verify cannot read yet skip it.
     */
    @Test
    void verifyChecksumsHashTheRowsAsTheSourceDoes() throws Exception {
        Optional<TableChecksums> answers = destination().checksums();
        if (answers.isEmpty()) {
            return;
        }
        TableSchema table = ChecksumRows.table(new TableId("src", "verified"));
        List<Object[]> rows = ChecksumRows.rows();
        load(batch(
                table.id(),
                "b1",
                write(table, rows.stream().map(v -> Row.of(Op.INSERT, 10, v)).toArray(Row[]::new))));
        Object[] deleted = new Object[rows.get(3).length];
        deleted[0] = rows.get(3)[0];
        load(batch(table.id(), "b2", write(table, Row.of(Op.DELETE, 20, deleted))));
        try (TableChecksums checksums = answers.get()) {
            assertThat(checksums.checksum(table, KeyRange.ALL))
                    .isEqualTo(
                            ChecksumRows.checksum(table, List.of(rows.get(0), rows.get(1), rows.get(2), rows.get(4))));
            assertThat(checksums.checksum(table, new KeyRange(new Object[] {1L}, new Object[] {4L})))
                    .isEqualTo(ChecksumRows.checksum(table, List.of(rows.get(1), rows.get(2))));
            assertThat(checksums.rowHashes(table, KeyRange.ALL, 2))
                    .containsExactly(
                            ChecksumRows.rowHash(table, rows.get(0)), ChecksumRows.rowHash(table, rows.get(1)));
        }
    }

    @Test
    void unsentColumnsKeepTheTargetsValues() throws Exception {
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(
                                Op.INSERT,
                                10,
                                1L,
                                "t1",
                                "body one",
                                "{\"a\": 1}",
                                new byte[] {1, 2},
                                new BigDecimal("1.50")),
                        Row.of(Op.INSERT, 10, 2L, "t2", "body two", "{}", new byte[] {3}, new BigDecimal("2.00")))));

        LoadResult result = load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        Row.update(
                                20, new int[] {BODY, META, BLOB}, 1L, "t1-b", null, null, null, new BigDecimal("9.99")),
                        Row.of(Op.UPDATE, 20, 2L, "t2-b", null, "[1]", null, null)))); // NULLs that were sent are NULLs

        assertThat(result).isEqualTo(new LoadResult(2, 2, false));
        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t1-b", "body one", "{\"a\": 1}", new byte[] {1, 2}, new BigDecimal("9.99")},
                        new Object[] {2L, "t2-b", null, "[1]", null, null}));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT \"id\", \"_elt_op\", \"_elt_position\" FROM \"shop\".\"docs\" ORDER BY \"id\""))
                    .containsExactly(
                            List.of(1L, "UPDATE", new BigDecimal(20)), List.of(2L, "UPDATE", new BigDecimal(20)));
        }
    }

    @Test
    void unsentColumnsTakeTheValueOfAnEarlierRecordOfTheBatch() throws Exception {
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(Op.INSERT, 50, 2L, "t2", "body two (at 50)", "{}", null, null),
                        Row.of(Op.INSERT, 5, 3L, "t3", "body three (at 5)", "{}", null, null))));

        load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        // Inserted and updated in one checkpoint, each column from the latest record that sent it.
                        Row.of(Op.INSERT, 10, 1L, "t", "body 1", "{\"v\": 1}", new byte[] {1}, new BigDecimal("1.00")),
                        Row.update(20, new int[] {META, BLOB}, 1L, "t", "body 2", null, null, new BigDecimal("2.00")),
                        Row.update(
                                30, new int[] {BODY, META, BLOB}, 1L, "t-3", null, null, null, new BigDecimal("3.00")),
                        // The target's row (position 50) is newer than the batch's record of the key (40): its value
                        // holds.
                        Row.of(Op.UPDATE, 40, 2L, "stale", "stale body", "{}", null, null),
                        Row.update(60, new int[] {BODY}, 2L, "t2-b", null, "{}", null, null),
                        // The batch's record (20) is newer than the target's row (5): its value holds.
                        Row.of(Op.UPDATE, 20, 3L, "t3-b", "body three (at 20)", "{}", null, null),
                        Row.update(30, new int[] {BODY}, 3L, "t3-c", null, "{}", null, null))));

        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t-3", "body 2", "{\"v\": 1}", new byte[] {1}, new BigDecimal("3.00")},
                        new Object[] {2L, "t2-b", "body two (at 50)", "{}", null, null},
                        new Object[] {3L, "t3-c", "body three (at 20)", "{}", null, null}));
    }

    @Test
    void unsentColumnsOfARowTheTargetLacksAreNull() throws Exception {
        // A target without the key: only inserts.
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.update(
                                20,
                                new int[] {BODY, META, BLOB},
                                7L,
                                "t7",
                                null,
                                null,
                                null,
                                new BigDecimal("7.00")))));
        // A target with some of the keys: the full merge.
        load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        Row.update(30, new int[] {BODY}, 7L, "t7-b", null, "{\"x\": 7}", null, null),
                        Row.update(
                                30, new int[] {BODY, BLOB}, 8L, "t8", null, "{}", null, BigDecimal.ONE.setScale(2)))));

        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {7L, "t7-b", null, "{\"x\": 7}", null, null},
                        new Object[] {8L, "t8", null, "{}", null, new BigDecimal("1.00")}));
    }

    @Test
    void mixedBatchAcrossFilesOfEveryLayout() throws Exception {
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(Op.READ, 1, 1L, "t1", "body 1", "{}", new byte[] {1}, null),
                        Row.of(Op.READ, 1, 2L, "t2", "body 2", "{}", new byte[] {2}, null),
                        Row.of(Op.READ, 1, 3L, "t3", "body 3", "{}", new byte[] {3}, null))));

        // Complete records first (the staging table gets the unchanged column mid-batch), in a file
        // of the old layout, then files of the staging writer and the test writer with unsent columns.
        StagedFile old = StagedFiles.writeWithoutUnchangedField(
                files,
                DOCS,
                List.of(
                        Row.of(Op.UPDATE, 10, 1L, "t1-b", "body 1-b", "{}", new byte[] {1}, null),
                        Row.of(Op.INSERT, 10, 4L, "t4", "body 4", "{\"four\": 4}", new byte[] {4}, null),
                        Row.of(Op.UPDATE, 10, 3L, "t3-b", "body 3-b", "{}", null, null)));
        StagedFile staged = StagedFiles.writeWithStagingWriter(
                files,
                DOCS,
                List.of(
                        Row.update(20, new int[] {BODY, META}, 1L, "t1-c", null, null, new byte[] {11}, null),
                        Row.update(20, new int[] {BODY, BLOB}, 2L, "t2-c", null, "[2]", null, null),
                        Row.update(20, new int[] {META}, 4L, "t4-b", "body 4-b", null, new byte[] {44}, null)));
        StagedFile current = write(
                DOCS,
                Row.of(Op.DELETE, 30, 3L, null, null, null, null, null),
                Row.update(30, new int[] {BLOB}, 5L, "t5", "body 5", "{}", null, null));

        LoadResult result = load(batch(DOCS.id(), "b2", old, staged, current));

        assertThat(result.rowsStaged()).isEqualTo(8);
        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t1-c", "body 1-b", "{}", new byte[] {11}, null},
                        new Object[] {2L, "t2-c", "body 2", "[2]", new byte[] {2}, null},
                        new Object[] {4L, "t4-b", "body 4-b", "{\"four\": 4}", new byte[] {44}, null},
                        new Object[] {5L, "t5", "body 5", "{}", null, null}));

        // Files of one layout only, without unsent columns, still load as before.
        load(batch(
                DOCS.id(),
                "b3",
                StagedFiles.writeWithoutUnchangedField(
                        files,
                        DOCS,
                        List.of(Row.of(Op.UPDATE, 40, 5L, "t5-b", "body 5-b", "{}", new byte[] {5}, null)))));
        assertThat(docs().get(3))
                .isEqualTo(TargetRows.expected(
                                DOCS.columns(), new Object[] {5L, "t5-b", "body 5-b", "{}", new byte[] {5}, null})
                        .get(0));
    }

    @Test
    void softDeleteAfterAnUpdateWithUnsentColumns() throws Exception {
        useDeleteMode(DeleteMode.SOFT);
        load(batch(
                DOCS.id(),
                "b1",
                write(
                        DOCS,
                        Row.of(Op.INSERT, 10, 1L, "t1", "body 1", "{\"a\": 1}", new byte[] {1}, new BigDecimal("1.00")),
                        Row.of(Op.INSERT, 10, 2L, "t2", "body 2", "{}", new byte[] {2}, new BigDecimal("2.00")))));

        load(batch(
                DOCS.id(),
                "b2",
                write(
                        DOCS,
                        Row.update(
                                20,
                                new int[] {BODY},
                                1L,
                                "t1-b",
                                null,
                                "{\"a\": 2}",
                                new byte[] {1},
                                new BigDecimal("1.10")),
                        Row.of(Op.DELETE, 30, 1L, null, null, null, null, null),
                        Row.update(
                                20,
                                new int[] {BODY, META},
                                2L,
                                "t2-b",
                                null,
                                null,
                                new byte[] {22},
                                new BigDecimal("2.20")))));

        assertThat(docs())
                .containsExactlyElementsOf(TargetRows.expected(
                        DOCS.columns(),
                        new Object[] {1L, "t1-b", "body 1", "{\"a\": 2}", new byte[] {1}, new BigDecimal("1.10")},
                        new Object[] {2L, "t2-b", "body 2", "{}", new byte[] {22}, new BigDecimal("2.20")}));
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT \"id\", \"_elt_op\", \"_elt_deleted\" FROM \"shop\".\"docs\" ORDER BY \"id\""))
                    .containsExactly(List.of(1L, "DELETE", true), List.of(2L, "UPDATE", false));
        }
    }

    @Test
    void fileThatDidNotSendAKeyColumnFailsTheBatch() throws Exception {
        // ChangeRecord refuses such a record; a file that holds one anyway is refused by the load.
        TableSchema byTitle = new TableSchema(DOCS.id(), DOCS.columns(), List.of("title"));

        assertThatThrownBy(() -> load(batch(DOCS.id(), "bad", writeRaw(byTitle, new int[] {1}))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("batch bad of table shop.docs")
                .hasMessageContaining("lacks the value of key column title");
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT count(*) FROM \"shop\".\"docs\"")).containsExactly(List.of(0L));
        }
    }

    /** A file of {@code schema} with one record that claims not to have sent {@code unchanged}, bypassing ChangeRecord's checks. */
    private StagedFile writeRaw(TableSchema schema, int[] unchanged) throws Exception {
        Schema avro = AvroSchemas.toAvro(schema);
        File file = files.resolve("raw-" + System.nanoTime() + ".avro").toFile();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(avro))) {
            writer.create(avro, file);
            GenericData.Record record = new GenericData.Record(avro);
            record.put(0, 1L);
            record.put(AvroSchemas.OP_FIELD, "UPDATE");
            record.put(AvroSchemas.POSITION_FIELD, AvroValues.positionToAvro(new Position(0, 1)));
            record.put(AvroSchemas.UNCHANGED_FIELD, AvroValues.unchangedToAvro(unchanged));
            writer.append(record);
        }
        return new StagedFile(file.toURI().toString(), file.length());
    }

    private List<List<Object>> docs() throws SQLException {
        try (Connection c = connect()) {
            return TargetRows.read(c, "\"shop\".\"docs\"", DOCS.columns(), "\"id\"");
        }
    }
}
