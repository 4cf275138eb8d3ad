package io.eltcdc.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.load.StagedFiles.Row;
import io.eltcdc.load.duckdb.DuckDbDestination;
import io.eltcdc.load.postgres.PostgresDestination;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Load throughput of 1 M rows; runs only with {@code -Delt.bench=true}. */
@EnabledIfSystemProperty(named = "elt.bench", matches = "true")
class LoadBenchmarkTest {
    private static final int ROWS = 1_000_000;
    private static final TableSchema SCHEMA = new TableSchema(new TableId("bench", "orders"), List.of(
            new Column("id", ColumnType.INT64, 0, 0, false, "int8"), Column.of("customer", ColumnType.STRING),
            Column.decimal("amount", 12, 2), Column.of("created", ColumnType.TIMESTAMP_TZ),
            Column.of("paid", ColumnType.BOOLEAN)), List.of("id"));

    @TempDir
    Path dir;

    @Test
    void duckDb() throws Exception {
        try (Destination d = new DuckDbDestination(dir.resolve("bench.duckdb").toString(), null)) {
            run("DuckDB", d);
        }
    }

    @Test
    void postgres() throws Exception {
        String url = TestPostgres.createDatabase("load_bench");
        try (Destination d = new PostgresDestination(url, null, null, null)) {
            run("PostgreSQL", d);
        }
    }

    private void run(String name, Destination destination) throws Exception {
        StagedFile inserts = file(Op.INSERT, 1);
        StagedFile updates = file(Op.UPDATE, 2);
        long t0 = System.nanoTime();
        LoadResult first = destination.load(new LoadBatch("bench", SCHEMA.id(), "inserts", List.of(inserts)));
        long t1 = System.nanoTime();
        LoadResult second = destination.load(new LoadBatch("bench", SCHEMA.id(), "updates", List.of(updates)));
        long t2 = System.nanoTime();
        System.out.printf("%s: 1M inserts into an empty table %d ms, 1M updates of every row %d ms%n", name,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        assertThat(first.rowsMerged()).isEqualTo(ROWS);
        assertThat(second.rowsMerged()).isEqualTo(ROWS);
    }

    private StagedFile file(Op op, long position) throws Exception {
        List<Row> rows = new ArrayList<>(ROWS);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < ROWS; i++) {
            rows.add(Row.of(op, position * ROWS + i, (long) i, "customer " + (i % 1000),
                    BigDecimal.valueOf(i * 7L + position, 2), base.plusSeconds(i), i % 3 == 0));
        }
        return StagedFiles.write(dir, SCHEMA, rows);
    }
}
