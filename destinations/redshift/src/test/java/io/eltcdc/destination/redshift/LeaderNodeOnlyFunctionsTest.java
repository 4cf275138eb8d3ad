package io.eltcdc.destination.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The check every Redshift statement of the on-PostgreSQL tests passes, and the spelling of the load's time there. */
class LeaderNodeOnlyFunctionsTest {

    @Test
    void leaderNodeOnlyFunctionsAreRefused() {
        assertThatThrownBy(() -> LeaderNodeOnlyFunctions.check(
                        "INSERT INTO \"elt_cdc\".\"loads\" (pipeline, loaded_at) VALUES (?, CURRENT_TIMESTAMP)"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("CURRENT_TIMESTAMP is a leader node-only function in Redshift")
                .hasMessageContaining("use SYSDATE or GETDATE()");
        assertThatThrownBy(() -> LeaderNodeOnlyFunctions.check("SELECT now() FROM t"))
                .hasMessageStartingWith("NOW is a leader node-only function");
        assertThatThrownBy(() -> LeaderNodeOnlyFunctions.check("SELECT substr(\"a\", 1, 2) FROM t"))
                .hasMessageStartingWith("SUBSTR is");
        assertThatThrownBy(() -> LeaderNodeOnlyFunctions.check("SELECT 1 FROM t WHERE x > LOCALTIME"))
                .hasMessageStartingWith("LOCALTIME is");
    }

    @Test
    void namesInLiteralsAndQuotedIdentifiersAndLongerWordsAreNotCalls() {
        String sql = "INSERT INTO \"shop\".\"now\" (\"age\", \"log\") SELECT 'NOW()', 'current_timestamp',"
                + " LOCALTIMESTAMP, (SYSDATE AT TIME ZONE 'UTC'), GETDATE(), CURRENT_DATE, SUBSTRING(\"x\", 1, 2)"
                + " FROM \"_elt_stage\"";
        assertThat(LeaderNodeOnlyFunctions.check(sql)).isSameAs(sql);
        assertThat(LeaderNodeOnlyFunctions.check(RedshiftSql.NOW)).isEqualTo(RedshiftSql.NOW);
    }

    @Test
    void sysdateIsSpeltAsPostgresLocalTimestampOutsideQuotes() {
        assertThat(RedshiftSpelling.translate("SELECT (SYSDATE AT TIME ZONE 'UTC'), 'SYSDATE', \"SysDate\" FROM t"))
                .isEqualTo("SELECT (LOCALTIMESTAMP AT TIME ZONE 'UTC'), 'SYSDATE', \"sysdate\" FROM t");
        assertThatThrownBy(() -> RedshiftSpelling.translate("SELECT CURRENT_TIMESTAMP FROM t"))
                .isInstanceOf(AssertionError.class);
    }
}
