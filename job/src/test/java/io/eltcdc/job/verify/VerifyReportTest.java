package io.eltcdc.job.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.TableId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyReportTest {
    private static final TableResult EQUAL = new TableResult(
            new TableId("public", "items"),
            "public.items in DuckDB x",
            1000,
            1000,
            20,
            0,
            RowDiff.Differences.NONE,
            false,
            null);
    private static final TableResult DRIFTED = new TableResult(
            new TableId("public", "orders"),
            "public.orders in DuckDB x",
            1_234_567,
            1_234_566,
            25,
            2,
            new RowDiff.Differences(2, 0, 1, List.of("17", "99"), List.of(), List.of("42")),
            false,
            null);
    private static final TableResult FAILED =
            TableResult.failed(new TableId("public", "gone"), "public.gone in DuckDB x", "connection refused");

    @Test
    void oneLinePerTableThenWhatDiffersAndHowToRepairIt() {
        String out = VerifyReport.format(
                List.of(EQUAL, DRIFTED, FAILED), t -> "java -jar elt-cdc.jar resync --pipeline p.yaml --table " + t);

        assertThat(out).isEqualTo("""
                table          source rows  destination rows  ranges  differing  result
                public.items         1,000             1,000      20          0  equal
                public.orders    1,234,567         1,234,566      25          2  DIFFERS
                public.gone              -                 -       -          -  NOT COMPARED

                public.orders differs from public.orders in DuckDB x:
                  missing in the destination: 2 row(s), e.g. key 17; 99
                  different values: 1 row(s), e.g. key 42
                  repair: java -jar elt-cdc.jar resync --pipeline p.yaml --table public.orders

                public.gone: not compared: connection refused

                verify: 2 of 3 table(s) differ: public.orders, public.gone
                """);
    }

    @Test
    void exitCodeIsZeroOnlyWhenEveryTableIsEqual() {
        assertThat(VerifyReport.exitCode(List.of(EQUAL))).isZero();
        assertThat(VerifyReport.exitCode(List.of(EQUAL, DRIFTED))).isEqualTo(1);
        assertThat(VerifyReport.exitCode(List.of(EQUAL, FAILED))).isEqualTo(1);
        assertThat(VerifyReport.format(List.of(EQUAL), t -> "")).endsWith("\nverify: 1 table(s) equal\n");
    }

    @Test
    void resultFileCarriesTheMetrics(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        io.eltcdc.model.sync.VerificationResultFile file =
                new io.eltcdc.model.sync.VerificationResultFile(dir.toUri().toString(), "shop");
        file.write(
                "shop",
                VerifyResultFile.summary(List.of(EQUAL, DRIFTED, FAILED), Instant.ofEpochSecond(1_700_000_000)));

        assertThat(java.nio.file.Files.readString(dir.resolve("_control/shop/verify-result.json")))
                .isEqualTo(
                        "{\"pipeline\": \"shop\", \"finishedAt\": \"2023-11-14T22:13:20Z\","
                                + " \"lastVerificationEpochSeconds\": 1700000000, \"verifiedTables\": 2, \"driftedTables\": 1,"
                                + " \"tablesNotCompared\": 1, \"drifted\": [\"public.orders\"], \"notCompared\": [\"public.gone\"]}\n");
        assertThat(file.read())
                .contains(new io.eltcdc.model.sync.VerificationResultFile.Summary(
                        Instant.ofEpochSecond(1_700_000_000), 2, List.of("public.orders"), List.of("public.gone")));
    }
}
