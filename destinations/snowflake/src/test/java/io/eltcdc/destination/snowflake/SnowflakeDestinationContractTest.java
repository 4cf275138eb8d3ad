package io.eltcdc.destination.snowflake;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.testkit.DestinationContractTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import net.snowflake.client.jdbc.SnowflakeDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The destination contract against a real Snowflake account, with the staged files on S3. Runs
 * when the variables {@link LiveSnowflake} lists are set, and is skipped naming the first missing
 * one otherwise (Snowflake has no emulator): {@link SnowflakeCredentialsCondition} reports each test
 * as skipped with that reason, and the assumption below guards the set-up should the condition be
 * bypassed.
 *
 * <p>The contract's queries name tables and columns quoted, in the source's case, so the suite runs
 * with {@code identifier-case: source}; {@link SnowflakeLiveTest} covers Snowflake's upper-case
 * names (the default) and what else only Snowflake does.
 */
@ExtendWith(SnowflakeCredentialsCondition.class)
class SnowflakeDestinationContractTest extends DestinationContractTest {
    /** Schemas the suite writes to: dropped before each test. {@code SNOWFLAKE_DATABASE} must be a scratch database. */
    private static final List<String> SCHEMAS =
            List.of("shop", "src", "logs", "Odd Schema", "analytics", SnowflakeLedger.SCHEMA);

    private static LiveSnowflake live;
    private static S3Uploads uploads;
    private static SnowflakeStage stage;

    @BeforeAll
    static void requireCredentials() {
        live = LiveSnowflake.fromEnvironment();
        String missing = live.missing();
        assumeTrue(
                missing == null,
                () -> "Snowflake contract test skipped: set " + missing
                        + " (see the README's Snowflake section for every variable the live test needs)");
        String folder = live.stagingFolder("elt-cdc-contract-" + UUID.randomUUID());
        uploads = new S3Uploads(folder, live.awsAccessKey(), live.awsSecretKey());
        stage = live.stage(folder);
    }

    @Override
    protected void resetDestination() throws Exception {
        try (Connection c = plainConnection();
                Statement s = c.createStatement()) {
            for (String schema : SCHEMAS) {
                s.execute("DROP SCHEMA IF EXISTS " + io.eltcdc.model.SqlIdentifiers.quote(schema) + " CASCADE");
            }
        }
    }

    @Override
    protected Destination createDestination(String schemaOverride, DeleteMode deleteMode) {
        return new UploadingDestination(
                new SnowflakeDestination(live.connection(), stage, schemaOverride, deleteMode, SnowflakeNames.SOURCE),
                uploads);
    }

    @Override
    protected Connection connect() throws SQLException {
        return NormalizedReads.of(
                new SnowflakeDriver().connect(live.connection().jdbcUrl(), live.readProperties()));
    }

    @Override
    protected String destinationName() {
        return live.connection().describe();
    }

    private static Connection plainConnection() throws SQLException {
        return new SnowflakeDriver()
                .connect(live.connection().jdbcUrl(), live.connection().properties());
    }
}
