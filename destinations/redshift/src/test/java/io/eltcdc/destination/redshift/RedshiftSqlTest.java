package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements of a batch, offline: exact text. */
class RedshiftSqlTest {
    private static final TableId ITEMS = new TableId("Shop", "Items");
    private static final TableSchema SCHEMA = RedshiftNames.fold(new TableSchema(
            ITEMS,
            List.of(new Column("Id", ColumnType.INT32, 0, 0, false, "int4"), Column.of("Name", ColumnType.STRING)),
            List.of("Id")));
    private static final BatchColumns BATCH = BatchColumns.of(ITEMS, List.of(SCHEMA));
    private static final TargetTable TARGET = RedshiftNames.target(ITEMS, null);
    private static final List<String> HARD_COLUMNS =
            List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at");
    private static final List<String> SOFT_COLUMNS =
            List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted");

    private static RedshiftSql hard() {
        return new RedshiftSql(TARGET, BATCH, DeleteMode.HARD, HARD_COLUMNS);
    }

    private static RedshiftSql soft() {
        return new RedshiftSql(TARGET, BATCH, DeleteMode.SOFT, SOFT_COLUMNS);
    }

    @Test
    void namesAreLowerCasedAndQuoted() {
        assertThat(TARGET.sql()).isEqualTo("\"shop\".\"items\"");
        assertThat(TARGET.toString()).isEqualTo("shop.items");
        assertThat(RedshiftNames.target(ITEMS, "Analytics").sql()).isEqualTo("\"analytics\".\"items\"");
        assertThat(BATCH.columnNames()).containsExactly("id", "name");
        assertThat(BATCH.key()).containsExactly("id");
        assertThat(RedshiftNames.fold("Mixed Case \"Quoted\" ÜBER")).isEqualTo("mixed case \"quoted\" Über");
        assertThatThrownBy(() -> RedshiftNames.fold("x".repeat(128)))
                .hasMessageContaining("longer than Redshift's limit of 127 bytes");
        assertThatThrownBy(() -> RedshiftNames.fold(new TableSchema(
                        ITEMS,
                        List.of(Column.of("Id", ColumnType.INT32), Column.of("ID", ColumnType.INT64)),
                        List.of("Id"))))
                .hasMessage("columns 'Id' and 'ID' of Shop.Items are one column in Redshift, which folds names to lower"
                        + " case; rename one of them in the source or leave the table out of the pipeline");
        assertThatThrownBy(() -> RedshiftNames.fold(new TableSchema(
                        ITEMS,
                        List.of(Column.of("Id", ColumnType.INT32), Column.of("_ELT_truncated", ColumnType.BOOLEAN)),
                        List.of("Id"))))
                .hasMessageContaining("has the name of the metadata column _elt_truncated");
    }

    @Test
    void rawAndStagingTables() {
        assertThat(hard().createRaw())
                .isEqualTo("CREATE TEMP TABLE \"_elt_raw\" (\"c0\" INTEGER, \"c1\" VARCHAR(65535),"
                        + " \"_elt_op\" VARCHAR(16), \"_elt_position\" VARCHAR(40), \"_elt_unchanged\" VARCHAR(65535),"
                        + " \"_elt_truncated\" BOOLEAN)");
        assertThat(hard().createStage())
                .isEqualTo("CREATE TEMP TABLE \"_elt_stage\" (\"id\" INTEGER,"
                        + " \"name\" VARCHAR(65535), \"_elt_op\" VARCHAR(16), \"_elt_position\" NUMERIC(38,0),"
                        + " \"_elt_unchanged\" VARCHAR(65535), \"_elt_truncated\" BOOLEAN)");
        assertThat(hard().fillStage())
                .isEqualTo("INSERT INTO \"_elt_stage\" (\"id\", \"name\", \"_elt_op\","
                        + " \"_elt_position\", \"_elt_unchanged\", \"_elt_truncated\") SELECT r.\"c0\", r.\"c1\", r.\"_elt_op\","
                        + " CAST(r.\"_elt_position\" AS NUMERIC(38,0)), r.\"_elt_unchanged\", COALESCE(r.\"_elt_truncated\", FALSE)"
                        + " FROM \"_elt_raw\" AS r");
        assertThat(hard().dropTemporaryTables())
                .containsExactly(
                        "DROP TABLE IF EXISTS \"_elt_raw\"",
                        "DROP TABLE IF EXISTS \"_elt_stage\"",
                        "DROP TABLE IF EXISTS \"_elt_winners\"",
                        "DROP TABLE IF EXISTS \"_elt_resolved\"",
                        "DROP TABLE IF EXISTS \"_elt_kept\"");
    }

    @Test
    void copyFromTheManifestWithARoleOrKeys() {
        String manifest = "s3a://bucket/staging/_redshift/p/shop.items/b1/part-0.manifest";
        CopySql role = new CopySql(new CopyCredentials.IamRole("arn:aws:iam::123456789012:role/elt"), null);
        assertThat(role.copy(RedshiftSql.RAW, manifest))
                .isEqualTo(
                        "COPY \"_elt_raw\" FROM"
                                + " 's3://bucket/staging/_redshift/p/shop.items/b1/part-0.manifest'"
                                + " IAM_ROLE 'arn:aws:iam::123456789012:role/elt' FORMAT AS AVRO 'auto' MANIFEST COMPUPDATE OFF STATUPDATE OFF");
        assertThat(new CopySql(new CopyCredentials.IamRole("default"), "us-east-1").copy(RedshiftSql.RAW, manifest))
                .isEqualTo(
                        "COPY \"_elt_raw\" FROM 's3://bucket/staging/_redshift/p/shop.items/b1/part-0.manifest'"
                                + " IAM_ROLE default FORMAT AS AVRO 'auto' MANIFEST REGION 'us-east-1' COMPUPDATE OFF STATUPDATE OFF");

        CopySql keys = new CopySql(new CopyCredentials.AccessKeys("AKIAEXAMPLE", "se'cret", "token"), null);
        assertThat(keys.copy(RedshiftSql.RAW, manifest))
                .contains("ACCESS_KEY_ID 'AKIAEXAMPLE'"
                        + " SECRET_ACCESS_KEY 'se''cret' SESSION_TOKEN 'token' FORMAT AS AVRO 'auto' MANIFEST");
        assertThat(keys.redacted(RedshiftSql.RAW, manifest))
                .contains("ACCESS_KEY_ID 'AKIAEXAMPLE'" + " SECRET_ACCESS_KEY '****' SESSION_TOKEN '****'")
                .doesNotContain("se'cret")
                .doesNotContain("token'");
        assertThat(keys.scrub("failed: se'cret and token")).isEqualTo("failed: ****** and ******");
        assertThat(new CopyCredentials.AccessKeys("AKIAEXAMPLE", "secret", null).toString())
                .doesNotContain("secret");
    }

    @Test
    void winnersPerKey() {
        assertThat(hard().createWinners())
                .isEqualTo("CREATE TEMP TABLE \"_elt_winners\" AS SELECT \"id\", \"name\","
                        + " \"_elt_op\", \"_elt_position\", \"_elt_unchanged\", \"_elt_truncated\" FROM (SELECT *, ROW_NUMBER()"
                        + " OVER (PARTITION BY \"id\" ORDER BY \"_elt_position\" DESC) AS \"_elt_rn\" FROM \"_elt_stage\") AS ranked"
                        + " WHERE \"_elt_rn\" = 1");
    }

    @Test
    void hardDeleteAndInsert() {
        String w = RedshiftSql.WINNERS;
        assertThat(hard().deleteDeleted(w))
                .isEqualTo("DELETE FROM \"shop\".\"items\" USING \"_elt_winners\""
                        + " WHERE \"shop\".\"items\".\"id\" = \"_elt_winners\".\"id\" AND \"_elt_winners\".\"_elt_op\" = 'DELETE'"
                        + " AND (\"shop\".\"items\".\"_elt_position\" IS NULL"
                        + " OR \"shop\".\"items\".\"_elt_position\" < \"_elt_winners\".\"_elt_position\")");
        assertThat(hard().deleteReplaced(w))
                .isEqualTo("DELETE FROM \"shop\".\"items\" USING \"_elt_winners\""
                        + " WHERE \"shop\".\"items\".\"id\" = \"_elt_winners\".\"id\" AND \"_elt_winners\".\"_elt_op\" <> 'DELETE'"
                        + " AND (\"shop\".\"items\".\"_elt_position\" IS NULL"
                        + " OR \"shop\".\"items\".\"_elt_position\" < \"_elt_winners\".\"_elt_position\")");
        assertThat(hard().insertWinners(w, false))
                .isEqualTo("INSERT INTO \"shop\".\"items\" (\"id\", \"name\","
                        + " \"_elt_op\", \"_elt_position\", \"_elt_synced_at\") SELECT w.\"id\", w.\"name\", w.\"_elt_op\","
                        + " w.\"_elt_position\", (SYSDATE AT TIME ZONE 'UTC') FROM \"_elt_winners\" AS w"
                        + " WHERE w.\"_elt_op\" <> 'DELETE' AND NOT EXISTS (SELECT 1 FROM \"shop\".\"items\" AS t"
                        + " WHERE t.\"id\" = w.\"id\")");
        assertThat(hard().append())
                .isEqualTo("INSERT INTO \"shop\".\"items\" (\"id\", \"name\", \"_elt_op\","
                        + " \"_elt_position\", \"_elt_synced_at\") SELECT s.\"id\", s.\"name\", s.\"_elt_op\", s.\"_elt_position\","
                        + " (SYSDATE AT TIME ZONE 'UTC') FROM \"_elt_stage\" AS s");
        assertThat(hard().createKept(w)).isNull();
    }

    @Test
    void softDeletesInsertTombstonesAndKeepDroppedColumns() {
        String w = RedshiftSql.WINNERS;
        assertThatThrownBy(() -> soft().deleteDeleted(w)).isInstanceOf(IllegalStateException.class);
        assertThat(soft().deleteReplaced(w))
                .isEqualTo("DELETE FROM \"shop\".\"items\" USING \"_elt_winners\""
                        + " WHERE \"shop\".\"items\".\"id\" = \"_elt_winners\".\"id\""
                        + " AND (\"shop\".\"items\".\"_elt_position\" IS NULL"
                        + " OR \"shop\".\"items\".\"_elt_position\" < \"_elt_winners\".\"_elt_position\")");
        assertThat(soft().insertWinners(w, false))
                .isEqualTo("INSERT INTO \"shop\".\"items\" (\"id\", \"name\","
                        + " \"_elt_op\", \"_elt_position\", \"_elt_synced_at\", \"_elt_deleted\") SELECT w.\"id\", w.\"name\","
                        + " w.\"_elt_op\", w.\"_elt_position\", (SYSDATE AT TIME ZONE 'UTC'), (w.\"_elt_op\" = 'DELETE')"
                        + " FROM \"_elt_winners\" AS w WHERE NOT EXISTS (SELECT 1 FROM \"shop\".\"items\" AS t"
                        + " WHERE t.\"id\" = w.\"id\")");

        // The target has a column the source dropped: a soft DELETE keeps its last value.
        RedshiftSql dropped = new RedshiftSql(
                TARGET,
                BATCH,
                DeleteMode.SOFT,
                List.of("id", "name", "note", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_deleted"));
        assertThat(dropped.createKept(w))
                .isEqualTo(
                        "CREATE TEMP TABLE \"_elt_kept\" AS SELECT t.\"id\", t.\"note\""
                                + " FROM \"shop\".\"items\" AS t JOIN \"_elt_winners\" AS w ON t.\"id\" = w.\"id\""
                                + " WHERE w.\"_elt_op\" = 'DELETE' AND (t.\"_elt_position\" IS NULL OR t.\"_elt_position\" < w.\"_elt_position\")");
        assertThat(dropped.insertWinners(w, true))
                .isEqualTo("INSERT INTO \"shop\".\"items\" (\"id\", \"name\","
                        + " \"_elt_op\", \"_elt_position\", \"_elt_synced_at\", \"_elt_deleted\", \"note\") SELECT w.\"id\","
                        + " w.\"name\", w.\"_elt_op\", w.\"_elt_position\", (SYSDATE AT TIME ZONE 'UTC'), (w.\"_elt_op\" = 'DELETE'),"
                        + " k.\"note\" FROM \"_elt_winners\" AS w LEFT JOIN \"_elt_kept\" AS k ON k.\"id\" = w.\"id\""
                        + " WHERE NOT EXISTS (SELECT 1 FROM \"shop\".\"items\" AS t WHERE t.\"id\" = w.\"id\")");
    }

    @Test
    void unsentColumnsResolvedFromTheTarget() {
        StagedRows distinct = new StagedRows(3, true, false, false, null, List.of(1));
        assertThat(hard().createResolved(RedshiftSql.STAGE, distinct))
                .isEqualTo(
                        "CREATE TEMP TABLE \"_elt_resolved\""
                                + " AS SELECT w.\"id\", CASE WHEN (position(',1,' IN w.\"_elt_unchanged\") > 0) THEN t.\"name\""
                                + " ELSE w.\"name\" END AS \"name\", w.\"_elt_op\", w.\"_elt_position\", w.\"_elt_unchanged\","
                                + " w.\"_elt_truncated\" FROM \"_elt_stage\" AS w LEFT JOIN \"shop\".\"items\" AS t ON t.\"id\" = w.\"id\"");
        // Nothing to resolve: every record sent every column, and deletes are hard.
        assertThat(hard().createResolved(RedshiftSql.WINNERS, new StagedRows(3, false, true, false, null)))
                .isNull();
    }

    @Test
    void unsentColumnsOfRepeatedKeysTakeTheLatestEarlierRecordsValue() {
        StagedRows repeated = new StagedRows(3, false, true, false, null, List.of(1));
        assertThat(soft().createResolved(RedshiftSql.WINNERS, repeated))
                .isEqualTo("CREATE TEMP TABLE \"_elt_resolved\""
                        + " AS SELECT w.\"id\", CASE WHEN (w.\"_elt_op\" = 'DELETE' OR position(',1,' IN w.\"_elt_unchanged\") > 0)"
                        + " THEN CASE WHEN f.\"_elt_has_1\" = 1 THEN f.\"_elt_v_1\" ELSE t.\"name\" END ELSE w.\"name\" END"
                        + " AS \"name\", w.\"_elt_op\", w.\"_elt_position\", w.\"_elt_unchanged\", w.\"_elt_truncated\""
                        + " FROM \"_elt_winners\" AS w LEFT JOIN \"shop\".\"items\" AS t ON t.\"id\" = w.\"id\""
                        + " LEFT JOIN (SELECT * FROM (SELECT s.\"id\","
                        + " MAX(CASE WHEN (s.\"_elt_unchanged\" IS NULL OR position(',1,' IN s.\"_elt_unchanged\") = 0)"
                        + " THEN 1 ELSE 0 END) OVER (PARTITION BY s.\"id\") AS \"_elt_has_1\","
                        + " FIRST_VALUE(s.\"name\") OVER (PARTITION BY s.\"id\" ORDER BY CASE WHEN (s.\"_elt_unchanged\" IS NULL"
                        + " OR position(',1,' IN s.\"_elt_unchanged\") = 0) THEN 1 ELSE 0 END DESC, s.\"_elt_position\" DESC"
                        + " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"_elt_v_1\","
                        + " ROW_NUMBER() OVER (PARTITION BY s.\"id\" ORDER BY s.\"_elt_position\" DESC) AS \"_elt_rn\""
                        + " FROM \"_elt_stage\" AS s JOIN \"_elt_winners\" AS w3 ON s.\"id\" = w3.\"id\""
                        + " LEFT JOIN \"shop\".\"items\" AS t3 ON t3.\"id\" = s.\"id\""
                        + " WHERE (w3.\"_elt_op\" = 'DELETE' OR w3.\"_elt_unchanged\" IS NOT NULL) AND s.\"_elt_op\" <> 'DELETE'"
                        + " AND s.\"_elt_position\" < w3.\"_elt_position\" AND (t3.\"_elt_position\" IS NULL"
                        + " OR t3.\"_elt_position\" < s.\"_elt_position\")) AS f0 WHERE f0.\"_elt_rn\" = 1) AS f"
                        + " ON f.\"id\" = w.\"id\"");
    }

    @Test
    void truncatedMarkerIsWrittenWhenTheTargetHasIt() {
        RedshiftSql sql = new RedshiftSql(
                TARGET,
                BATCH,
                DeleteMode.HARD,
                List.of("id", "name", "_elt_op", "_elt_position", "_elt_synced_at", "_elt_truncated"));
        assertThat(sql.insertWinners(RedshiftSql.STAGE, false))
                .startsWith(
                        "INSERT INTO \"shop\".\"items\" (\"id\","
                                + " \"name\", \"_elt_op\", \"_elt_position\", \"_elt_synced_at\", \"_elt_truncated\") SELECT w.\"id\","
                                + " w.\"name\", w.\"_elt_op\", w.\"_elt_position\", (SYSDATE AT TIME ZONE 'UTC'), w.\"_elt_truncated\" FROM");
        assertThat(sql.createResolved(RedshiftSql.STAGE, new StagedRows(1, true, false, false, null, List.of(1))))
                .contains(
                        "CASE WHEN (w.\"_elt_unchanged\" IS NOT NULL) THEN (w.\"_elt_truncated\""
                                + " OR COALESCE(t.\"_elt_truncated\", FALSE)) ELSE w.\"_elt_truncated\" END AS \"_elt_truncated\"");
    }

    @Test
    void tableDdl() {
        RedshiftTableDdl hard = new RedshiftTableDdl(DeleteMode.HARD, LongStrings.FAIL);
        assertThat(hard.createTable(TARGET, BATCH))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"shop\".\"items\""
                        + " (\"id\" INTEGER, \"name\" VARCHAR(65535), \"_elt_op\" VARCHAR(16), \"_elt_position\" NUMERIC(38,0),"
                        + " \"_elt_synced_at\" TIMESTAMPTZ, PRIMARY KEY (\"id\"))");
        RedshiftTableDdl softTruncating = new RedshiftTableDdl(DeleteMode.SOFT, LongStrings.TRUNCATE);
        assertThat(softTruncating.createTable(TARGET, BATCH))
                .endsWith("\"_elt_synced_at\" TIMESTAMPTZ,"
                        + " \"_elt_deleted\" BOOLEAN, \"_elt_truncated\" BOOLEAN, PRIMARY KEY (\"id\"))");
        assertThat(RedshiftTableDdl.addColumn(TARGET, "credit", "NUMERIC(10,2)"))
                .isEqualTo("ALTER TABLE \"shop\".\"items\" ADD COLUMN \"credit\" NUMERIC(10,2)");
        assertThat(RedshiftTableDdl.growVarchar(TARGET, "tag", "VARCHAR(65535)"))
                .isEqualTo("ALTER TABLE \"shop\".\"items\" ALTER COLUMN \"tag\" TYPE VARCHAR(65535)");
        assertThat(RedshiftTableDdl.renameColumn(TARGET, "color", "colour name"))
                .isEqualTo("ALTER TABLE \"shop\".\"items\" RENAME COLUMN \"color\" TO \"colour name\"");
    }

    @Test
    void typeChangesRedshiftCanAndCannotFollow() {
        assertThat(judge("character varying", 36, null, null, "VARCHAR(65535)"))
                .isEqualTo(RedshiftTypeChange.Verdict.GROW_VARCHAR);
        assertThat(judge("character varying", 65535, null, null, "VARCHAR(36)"))
                .isEqualTo(RedshiftTypeChange.Verdict.SAME);
        assertThat(judge("bigint", null, 64, 0, "INTEGER")).isEqualTo(RedshiftTypeChange.Verdict.SAME);
        assertThat(judge("integer", null, 32, 0, "BIGINT")).isEqualTo(RedshiftTypeChange.Verdict.CANNOT_WIDEN);
        assertThat(judge("numeric", null, 6, 2, "NUMERIC(12,3)")).isEqualTo(RedshiftTypeChange.Verdict.CANNOT_WIDEN);
        assertThat(judge("numeric", null, 12, 3, "NUMERIC(6,2)")).isEqualTo(RedshiftTypeChange.Verdict.SAME);
        assertThat(judge("numeric", null, 6, 2, "BIGINT")).isEqualTo(RedshiftTypeChange.Verdict.INCOMPATIBLE);
        assertThat(judge("integer", null, 32, 0, "VARCHAR(65535)")).isEqualTo(RedshiftTypeChange.Verdict.CANNOT_WIDEN);
        assertThat(judge("date", null, null, null, "VARCHAR(36)")).isEqualTo(RedshiftTypeChange.Verdict.SAME);
        assertThat(judge("timestamp without time zone", null, null, null, "TIMESTAMPTZ"))
                .isEqualTo(RedshiftTypeChange.Verdict.SAME);
    }

    private static RedshiftTypeChange.Verdict judge(
            String dataType, Integer length, Integer precision, Integer scale, String wanted) {
        return RedshiftTypeChange.judge(
                RedshiftTypeChange.ofCatalog(dataType, length, precision, scale), RedshiftTypeChange.parse(wanted));
    }
}
