package io.eltcdc.destination;

import static io.eltcdc.destination.ColumnTypeChange.Verdict.INCOMPATIBLE;
import static io.eltcdc.destination.ColumnTypeChange.Verdict.SAME;
import static io.eltcdc.destination.ColumnTypeChange.Verdict.WIDEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.ColumnTypeChange.Kind;
import io.eltcdc.destination.ColumnTypeChange.Type;
import org.junit.jupiter.api.Test;

/** The rule of which column type holds which, and the verdict of the destinations that alter in place. */
class ColumnTypeChangeTest {

    @Test
    void integersFloatsAndDecimalsHoldWhatFitsWithoutLoss() {
        assertThat(holds("bigint", "integer")).isTrue();
        assertThat(holds("integer", "bigint")).isFalse();
        assertThat(holds("double precision", "real")).isTrue();
        assertThat(holds("double precision", "integer")).isTrue();
        assertThat(holds("double precision", "bigint")).isFalse(); // 53 bits of mantissa
        assertThat(holds("real", "integer")).isFalse();
        assertThat(holds("numeric(12,2)", "numeric(10,2)")).isTrue();
        assertThat(holds("numeric(12,2)", "numeric(10,3)")).isFalse(); // less scale
        assertThat(holds("numeric(12,2)", "numeric(13,3)")).isFalse(); // fewer integer digits
        assertThat(holds("numeric(12,2)", "integer")).isTrue(); // 10 integer digits
        assertThat(holds("numeric(11,2)", "integer")).isFalse();
        assertThat(holds("numeric(21,2)", "bigint")).isTrue(); // 19 integer digits
        assertThat(holds("numeric", "bigint")).isTrue(); // unbounded
        assertThat(holds("numeric", "numeric(38,10)")).isTrue();
        assertThat(holds("numeric(38,10)", "numeric")).isFalse();
    }

    @Test
    void textHoldsEveryValueUpToItsLength() {
        assertThat(holds("text", "bigint")).isTrue();
        assertThat(holds("varchar", "date")).isTrue();
        Type short36 = new Type(Kind.TEXT, 36, -1, "varchar(36)");
        Type long64 = new Type(Kind.TEXT, 64, -1, "varchar(64)");
        assertThat(ColumnTypeChange.holds(long64, short36)).isTrue();
        assertThat(ColumnTypeChange.holds(short36, long64)).isFalse();
        assertThat(ColumnTypeChange.holds(long64, ColumnTypeChange.parse("bigint")))
                .isTrue();
        assertThat(ColumnTypeChange.holds(short36, ColumnTypeChange.parse("bigint")))
                .isFalse();
        assertThat(holds("bigint", "text")).isFalse();
        assertThat(holds("date", "date")).isFalse(); // kinds not compared hold nothing
    }

    @Test
    void verdictKeepsWhatHoldsWidensWhatTheNewTypeHoldsAndRefusesTheRest() {
        assertThat(judge("bigint", "integer")).isEqualTo(SAME); // an older, narrower version's rows
        assertThat(judge("integer", "bigint")).isEqualTo(WIDEN);
        assertThat(judge("numeric(10,2)", "numeric(12,3)")).isEqualTo(WIDEN);
        assertThat(judge("numeric(12,3)", "numeric(10,2)")).isEqualTo(SAME);
        assertThat(judge("numeric(10,2)", "numeric(12,1)")).isEqualTo(INCOMPATIBLE);
        assertThat(judge("bigint", "double precision")).isEqualTo(INCOMPATIBLE);
        assertThat(judge("integer", "text")).isEqualTo(WIDEN);
        assertThat(judge("text", "integer")).isEqualTo(SAME);
        assertThat(judge("date", "timestamp")).isEqualTo(SAME); // kinds not compared are left alone
        assertThat(judge("date", "bigint")).isEqualTo(INCOMPATIBLE);
        assertThat(ColumnTypeChange.judge(
                        ColumnTypeChange.parse("numeric", 12, 2), ColumnTypeChange.parse("NUMERIC(12,2)")))
                .isEqualTo(SAME);
    }

    private static boolean holds(String wider, String narrower) {
        return ColumnTypeChange.holds(ColumnTypeChange.parse(wider), ColumnTypeChange.parse(narrower));
    }

    private static ColumnTypeChange.Verdict judge(String existing, String wanted) {
        return ColumnTypeChange.judge(ColumnTypeChange.parse(existing), ColumnTypeChange.parse(wanted));
    }
}
