package io.eltcdc.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The driver's URL and properties for each way to log in; secrets never in toString. */
class SnowflakeConnectionSettingsTest {
    private static final String PEM =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----\n";

    @Test
    void passwordLoginWithTheSessionParametersEveryLoadNeeds() {
        SnowflakeConnectionSettings s = SnowflakeConnectionSettings.withPassword(
                "myorg-acct", "ELT", "pw-123", "LOADER", "LOAD_WH", "ANALYTICS");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:snowflake://myorg-acct.snowflakecomputing.com/");
        Properties p = s.properties();
        assertThat(p)
                .containsEntry("user", "ELT")
                .containsEntry("password", "pw-123")
                .containsEntry("role", "LOADER")
                .containsEntry("warehouse", "LOAD_WH")
                .containsEntry("db", "ANALYTICS")
                .containsEntry("JDBC_QUERY_RESULT_FORMAT", "JSON")
                .containsEntry("TIMEZONE", "UTC")
                .containsEntry("QUOTED_IDENTIFIERS_IGNORE_CASE", "FALSE");
        assertThat(s.toString()).doesNotContain("pw-123").contains("password");
        assertThat(s.describe()).isEqualTo("Snowflake account myorg-acct, database ANALYTICS as ELT");
        assertThat(s.secret()).isEqualTo("pw-123");
    }

    @Test
    void keyPairLoginPassesThePemToTheDriver() {
        SnowflakeConnectionSettings s = SnowflakeConnectionSettings.withPrivateKey(
                "xy12345.eu-central-1.snowflakecomputing.com", "ELT", PEM, "phrase", null, "WH", "DB");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:snowflake://xy12345.eu-central-1.snowflakecomputing.com/");
        Properties p = s.properties();
        assertThat(new String(
                        Base64.getDecoder().decode(p.getProperty("private_key_base64")), StandardCharsets.US_ASCII))
                .isEqualTo(PEM);
        assertThat(p)
                .containsEntry("private_key_pwd", "phrase")
                .containsEntry("authenticator", "SNOWFLAKE_JWT")
                .doesNotContainKey("password")
                .doesNotContainKey("role");
        assertThat(s.toString()).doesNotContain("MIIF", "phrase");

        Properties file = SnowflakeConnectionSettings.withPrivateKeyFile(
                        "a", "u", "/keys/elt.p8", null, null, "WH", "DB")
                .properties();
        assertThat(file).containsEntry("private_key_file", "/keys/elt.p8").doesNotContainKey("private_key_file_pwd");
    }

    @Test
    void exactlyOneLogin() {
        assertThatThrownBy(() -> SnowflakeConnectionSettings.withPassword("a", "u", null, null, "WH", "DB"))
                .isInstanceOf(NullPointerException.class);
    }
}
