package io.eltcdc.destination.snowflake;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the live Snowflake tests, naming the first missing environment variable, when the account
 * and S3 folder they need are not configured ({@link LiveSnowflake}). A condition rather than an
 * assumption so that the build's test report lists the tests as skipped, with the reason.
 */
final class SnowflakeCredentialsCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = LiveSnowflake.fromEnvironment().missing();
        return missing == null
                ? ConditionEvaluationResult.enabled("Snowflake credentials are set")
                : ConditionEvaluationResult.disabled("Snowflake contract test skipped: set " + missing
                        + " (see the README's Snowflake section for every variable the live test needs)");
    }
}
