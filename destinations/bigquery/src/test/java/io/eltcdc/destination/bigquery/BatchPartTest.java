package io.eltcdc.destination.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.destination.testkit.StagedFiles;
import io.eltcdc.destination.testkit.StagedFiles.Row;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a part loads as they are, and which it re-encodes into its staged layout. */
class BatchPartTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableSchema PLAIN = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("name", ColumnType.STRING)),
            List.of("id"));
    private static final TableSchema WITH_TIMESTAMP = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("at", ColumnType.TIMESTAMP)),
            List.of("id"));

    @TempDir
    Path files;

    private BatchPart part(StagedFile... staged) throws Exception {
        List<BatchFile> opened = new ArrayList<>();
        for (StagedFile file : staged) {
            opened.add(BatchFile.open(file));
        }
        List<BatchPart> parts = BatchPart.of(ITEMS, opened);
        assertThat(parts).hasSize(1);
        return parts.get(0);
    }

    @Test
    void aTypeChangeWithinTheBatchLoadsThePartsOldestFirstWhateverTheFileOrder() throws Exception {
        TableSchema wider = new TableSchema(
                ITEMS,
                List.of(new Column("id", ColumnType.INT64, 0, 0, false, "int8"), Column.of("name", ColumnType.STRING)),
                List.of("id"));
        StagedFile newer = StagedFiles.write(files, wider, List.of(Row.of(Op.UPDATE, 30, 1L, "one-c")));
        StagedFile older = StagedFiles.write(
                files, PLAIN, List.of(Row.of(Op.UPDATE, 20, 1, "one-b"), Row.of(Op.UPDATE, 25, 2, "two-b")));
        StagedFile olderStill = StagedFiles.write(files, PLAIN, List.of(Row.of(Op.UPDATE, 10, 3, "three-b")));

        List<BatchFile> opened = new ArrayList<>();
        for (StagedFile file : List.of(newer, older, olderStill)) {
            opened.add(BatchFile.open(file));
        }
        List<BatchPart> parts = BatchPart.of(ITEMS, opened);

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).uris()).containsExactly(older.path(), olderStill.path());
        assertThat(parts.get(1).uris()).containsExactly(newer.path());
    }

    @Test
    void filesWithANullableUnchangedListAreReencoded() throws Exception {
        BatchPart part = part(StagedFiles.write(files, PLAIN, List.of(Row.of(Op.INSERT, 1, 1, "one"))));

        assertThat(part.filesInStagedLayout()).isFalse();
        assertThat(part.hasUnchangedField()).isTrue();
        assertThat(part.stagedSchema().getField("_elt_unchanged").schema().getType())
                .isEqualTo(Schema.Type.ARRAY);
    }

    @Test
    void filesWithATimestampColumnAreReencoded() throws Exception {
        BatchPart part = part(StagedFiles.writeWithoutUnchangedField(
                files, WITH_TIMESTAMP, List.of(Row.of(Op.INSERT, 1, 1, LocalDateTime.of(2024, 1, 2, 3, 4)))));

        assertThat(part.filesInStagedLayout()).isFalse();
        assertThat(part.stagedSchema().getField("at").schema().toString()).isEqualTo("[\"null\",\"long\"]");
    }

    @Test
    void filesAlreadyInTheStagedLayoutAreLoadedAsTheyAre() throws Exception {
        // Written before _elt_unchanged existed, no TIMESTAMP column: nothing to change, so staging on
        // Cloud Storage lets the load job read them itself.
        StagedFile legacy =
                StagedFiles.writeWithoutUnchangedField(files, PLAIN, List.of(Row.of(Op.INSERT, 1, 1, "one")));
        BatchPart part = part(legacy);

        assertThat(part.filesInStagedLayout()).isTrue();
        assertThat(part.hasUnchangedField()).isFalse();
        assertThat(part.stagedSchema()).isEqualTo(part.files().get(0).avro());
    }
}
